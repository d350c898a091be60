import Foundation
import Testing
@testable import GyreCore

/// The `select:` keys `filters`, `diverse`, `taper` and `system_trust`: each is
/// decoded from YAML and then changes what the selector, built from the
/// decoded workflow alone, picks.
@Suite("Selection: workflow options")
final class SelectionWorkflowOptionsTests {
    let root: URL

    init() throws { root = try SelectionFixtures.tempDirectory() }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The base workflow's `select:` with `extra` lines appended and `strategy` replaced.
    func selectSettings(_ extra: String, strategy: String = "highest", budget: Int = 2) throws -> SelectSettings {
        let text = try WorkflowFixtures.patched("  max_per_iteration: 40\n  strategy: diverse\n",
                                                "  max_per_iteration: \(budget)\n  strategy: \(strategy)\n" + extra)
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(workflow).select
    }

    /// Selects with the workflow's settings and nothing else (no options passed to the selector).
    func select(_ s: SelectSettings, _ trajs: [Trajectory]) throws -> SelectionOutcome {
        try Selector(settings: s, stage: SelectionFixtures.stage(), seed: 7, iteration: 1).run(trajs).0
    }

    @Test("absent keys keep the standard options")
    func defaults() throws {
        let s = try selectSettings("")
        #expect(s.options == .standard)
    }

    @Test("filters: set limits apply before the cap, null turns a filter off")
    func filters() throws {
        var frames = (0..<3).map { SelectionFixtures.crystal(rattle: 0.02, seed: UInt64($0)) }
        frames[0].positions[1] = frames[0].positions[0] + SIMD3(0.45, 0, 0)  // passes 0.4, fails the standard 0.5
        frames[1].positions[1] = frames[1].positions[0] + SIMD3(0.3, 0, 0)  // fails both
        frames[2].cell = Cell(Matrix3(SIMD3(7.22, 0, 0), SIMD3(0, 7.22, 0), SIMD3(0, 0, 50)))  // 6.9:1
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.14, 0.13, 0.12, 0.11],
                                                 frames: frames + [SelectionFixtures.crystal(rattle: 0.02, seed: 9)])

        let own = try selectSettings("  filters: {min_distance: 0.4, max_length_ratio: null, max_height_ratio: 8}\n")
        #expect(own.options.filters == FrameFilters(minDistance: 0.4, maxLengthRatio: nil, maxHeightRatio: 8))
        let o = try select(own, [t])
        #expect(o.picked.map(\.frameIndex) == [0, 2])
        #expect(o.filtered.map(\.reason) == [.atomsTooClose])

        let standard = try select(try selectSettings(""), [t])
        #expect(standard.picked.map(\.frameIndex) == [3])
        #expect(standard.filtered.map(\.reason) == [.atomsTooClose, .atomsTooClose, .cellTooElongated])

        let off = try selectSettings("  filters: null\n")
        #expect(off.options.filters == .none)
        #expect(try select(off, [t]).picked.map(\.frameIndex) == [0, 1])
    }

    @Test("diverse: objective chooses coverage or farthest-point sampling; pool bounds the frames seen; cutoff and bins shape the fingerprint")
    func diverseOptions() throws {
        // 40 candidates, deviation falling with the index: 39 near-copies of one
        // structure and, last, one strained frame that farthest-point sampling wants.
        var frames = (0..<39).map { _ in SelectionFixtures.crystal(rattle: 0.03, seed: 5) }
        for i in frames.indices { frames[i].positions[0].x += 1e-3 * Double(i) }
        frames.append(SelectionFixtures.crystal(rattle: 0.03, strain: 0.05, seed: 5))
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: (0..<40).map { 0.14 - 0.002 * Double($0) }, frames: frames)
        let defaults = try selectSettings("", strategy: "diverse", budget: 2)
        #expect(defaults.options.diverseObjective == .coverage)
        // Coverage: a representative of the 39 near-copies first, then the strained frame, which nothing else covers.
        let covered = try select(defaults, [t])
        #expect(covered.picked.count == 2 && covered.picked[0].frameIndex < 39 && covered.picked[1].frameIndex == 39)
        let wide = try select(try selectSettings("  diverse: {objective: farthest}\n", strategy: "diverse", budget: 2), [t])
        #expect(wide.picked.map(\.frameIndex) == [0, 39])

        let shaped = try selectSettings("  diverse: {objective: farthest, cutoff: 4.5, bins: 12}\n", strategy: "diverse", budget: 2)
        #expect(shaped.options.fingerprintCutoff == 4.5 && shaped.options.fingerprintBins == 12)
        let coarse = try select(shaped, [t])
        #expect(coarse.picked.map(\.frameIndex) == [0, 39])
        let d = try #require(wide.picked[1].distanceToPicked), dCoarse = try #require(coarse.picked[1].distanceToPicked)
        #expect(abs(d - dCoarse) > 1e-3 * d)

        // A pool of 1 (raised to the budget, 2) sees the 8 highest and 2 sampled
        // frames, which (for this seed) do not include frame 39: a near-copy is second.
        let narrow = try selectSettings("  diverse: {objective: farthest, pool: 1}\n", strategy: "diverse", budget: 2)
        #expect(narrow.options.diversePool == 1)
        #expect(narrow.options.diverseWeight == .deviation)
        #expect(try selectSettings("  diverse: {weight: none}\n", strategy: "diverse", budget: 2).options.diverseWeight == DiverseWeight.none)
        let o = try select(narrow, [t])
        #expect(o.picked.count == 2 && o.picked[0].frameIndex == 0)
        #expect(o.picked[1].frameIndex != 39)
    }

    @Test("taper: a system's budget shrinks with its accurate ratio as DP-GEN's soft threshold does")
    func taper() throws {
        // 12 sampled frames: 9 accurate (ratio 0.75), 3 candidates.
        let f = [0.01, 0.01, 0.01, 0.12, 0.01, 0.01, 0.11, 0.01, 0.01, 0.10, 0.01, 0.01]
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: f)
        let s = try selectSettings("  taper: {soft: 0.5, hard: 1.0}\n", budget: 4)
        #expect(s.options.accurateTaper == AccurateTaper(soft: 0.5, hard: 1.0))
        // 4 · (0.75 − 1) / (0.5 − 1) = 2 labels instead of all 3 candidates.
        #expect(try select(s, [t]).picked.count == 2)
        #expect(try select(try selectSettings("", budget: 4), [t]).picked.count == 3)
    }

    @Test("system_trust: a named system is classified with its own window, others with select.trust")
    func systemTrust() throws {
        let text = try WorkflowFixtures.patched("  bulk: {lattice: fcc, a: 3.61, repeat: [3, 3, 3]}\n",
                                                "  bulk: {lattice: fcc, a: 3.61, repeat: [3, 3, 3]}\n  slab: {lattice: fcc, a: 3.61}\n")
            .replacingOccurrences(of: "  strategy: diverse\n",
                                  with: "  strategy: highest\n  system_trust:\n    slab: {lo: 0.1, hi: 0.3, virial: {lo: 1, hi: 2}}\n")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let s = try #require(workflow).select
        #expect(s.options.systemTrust == ["slab": TrustWindow(forceLo: 0.1, forceHi: 0.3, virial: .init(lo: 1, hi: 2))])
        let f = [0.06, 0.12, 0.2]
        let bulk = try SelectionFixtures.trajectory(in: root, task: "b", system: "bulk", f: f)
        let slab = try SelectionFixtures.trajectory(in: root, task: "s", system: "slab", f: f)
        let o = try select(s, [bulk, slab])
        #expect(o.counts.map(\.candidate) == [3, 2])
        #expect(o.counts.map(\.accurate) == [0, 1])
        #expect(o.window.systemWindows?.map(\.system) == ["slab"])
    }

    struct BadKey: Sendable, CustomTestStringConvertible {
        var lines: String
        var strategy = "diverse"
        var at: String
        var message: String
        var testDescription: String { message }
    }

    // The patched `select:` block: `trust` on line 35, the added lines from 38.
    static let badKeys: [BadKey] = [
        .init(lines: "  filters: {min_distance: 0}\n", at: "38:27", message: "select.filters.min_distance must be greater than 0 Å, found 0"),
        .init(lines: "  filters: {min_distance: 12}\n", at: "38:27", message: "select.filters.min_distance must be below 10.0 Å, found 12"),
        .init(lines: "  filters: {max_height_ratio: 0.5}\n", at: "38:31", message: "select.filters.max_height_ratio must be at least 1"),
        .init(lines: "  filters: {min_distnce: 0.4}\n", at: "38:13", message: "unknown key `select.filters.min_distnce`"),
        .init(lines: "  filters: 0.5\n", at: "38:12", message: "select.filters must be a mapping"),
        .init(lines: "  diverse: {pool: 10}\n", strategy: "random", at: "38:3", message: "select.diverse applies only to strategy `diverse`, but select.strategy is `random`"),
        .init(lines: "  diverse: {pool: 0}\n", at: "38:19", message: "select.diverse.pool must be between 1 and 1000000, found 0"),
        .init(lines: "  diverse: {cutoff: 25}\n", at: "38:21", message: "select.diverse.cutoff must be below 20.0 Å, found 25"),
        .init(lines: "  diverse: {weight: deviaton}\n", at: "38:21", message: "select.diverse.weight must be one of `deviation`, `none`, found `deviaton`; did you mean `deviation`?"),
        .init(lines: "  diverse: {objective: farthes}\n", at: "38:24", message: "select.diverse.objective must be one of `coverage`, `farthest`, found `farthes`; did you mean `farthest`?"),
        .init(lines: "  taper: {soft: 0.9, hard: 0.8}\n", at: "38:17", message: "select.taper.soft (0.9) must be below select.taper.hard (0.8)"),
        .init(lines: "  taper: {soft: 0.9}\n", at: "38:10", message: "missing required key `select.taper.hard`"),
        .init(lines: "  taper: {soft: 0.9, hard: 1.5}\n", at: "38:28", message: "select.taper.hard must be a fraction above 0 to 1, found 1.5"),
        .init(lines: "  system_trust: {blk: {lo: 0.1, hi: 0.3}}\n", at: "38:18", message: "select.system_trust names `blk`, which is not a key of `systems`; did you mean `bulk`?"),
        .init(lines: "  system_trust: {bulk: {adaptive: {hi: 0.3}}}\n", at: "38:24", message: "select.system_trust.bulk must be a fixed window `{lo, hi}`, not adaptive"),
        .init(lines: "  system_trust: {bulk: {lo: 0.3, hi: 0.1}}\n", at: "38:29", message: "select.system_trust.bulk.lo (0.3) must be below select.system_trust.bulk.hi (0.1)"),
        .init(lines: "  system_trust: [bulk]\n", at: "38:17", message: "select.system_trust must be a mapping of system names"),
    ]

    @Test("invalid option keys are located errors", arguments: badKeys)
    func badKey(_ bad: BadKey) throws {
        let text = try WorkflowFixtures.patched("  strategy: diverse\n", "  strategy: \(bad.strategy)\n" + bad.lines)
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(workflow == nil)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map(\.description))")
        let first = try #require(errors.first)
        #expect(first.lineColumn == bad.at, "\(first)")
        #expect(first.message.contains(bad.message), "\(first)")
    }

    @Test("system_trust with an adaptive select.trust is an error at system_trust")
    func systemTrustNeedsFixedWindow() throws {
        let text = try WorkflowFixtures.patched("  trust: {lo: 0.05, hi: 0.30}\n", "  trust: {adaptive: {hi: 0.3}}\n  system_trust: {bulk: {lo: 0.1, hi: 0.3}}\n")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(workflow == nil)
        #expect(diagnostics.map(\.description) == [
            "t.yaml:36:17: error: select.system_trust needs a fixed `select.trust` window: an adaptive window is one window over all systems"
        ])
    }

    @Test("system_trust for a system of a stage with its own adaptive window is an error at the stage's trust")
    func systemTrustInAdaptiveStage() throws {
        let text = try WorkflowFixtures.patched("      converged_when: {accurate: 0.97}\n",
                                                "      converged_when: {accurate: 0.97}\n      trust: {adaptive: {hi: 0.3}}\n")
            .replacingOccurrences(of: "  strategy: diverse\n", with: "  strategy: diverse\n  system_trust: {bulk: {lo: 0.1, hi: 0.3}}\n")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(workflow == nil)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map(\.description))")
        let first = try #require(errors.first)
        #expect(first.message.contains("explore.stages[0].trust is adaptive, but select.system_trust gives bulk a fixed window"), "\(first)")
        #expect(first.lineColumn == "33:7", "\(first)")
    }
}
