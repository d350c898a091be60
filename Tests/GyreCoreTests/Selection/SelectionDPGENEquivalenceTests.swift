import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Gyre's accurate / candidate / failed counts against DP-GEN's own
/// `_select_by_model_devi_standard` on the same generated model_devi.out files
/// (Tests/Scripts/selection_dpgen_equivalence.py).
@Suite("Selection: equivalence with DP-GEN")
struct SelectionDPGENEquivalenceTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project venv's Python when it can import dpgen, else nil.
    static let python: String? = {
        let p = repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: p) else { return nil }
        let dpgen = repoRoot.appendingPathComponent(".venv/lib").path
        // A cheap check (importing dpgen takes seconds): its package directory exists.
        let found = (try? FileManager.default.subpathsOfDirectory(atPath: dpgen))?
            .contains { $0.hasSuffix("site-packages/dpgen/generator/run.py") } ?? false
        return found ? p : nil
    }()

    struct Counts: Decodable, Equatable { var accurate: Int; var candidate: Int; var failed: Int }
    struct SystemResult: Decodable { var tasks: [String]; var accurate: Int; var candidate: Int; var failed: Int }
    struct Case: Decodable {
        var name: String
        var f_lo: Double
        var f_hi: Double
        var v_lo: Double?
        var v_hi: Double?
        var skip: Int
        var systems: [String: SystemResult]
    }
    struct NaNCase: Decodable {
        var task: String
        var f_lo: Double
        var f_hi: Double
        var nan_rows: Int
        var dpgen_error: String?
        var dpgen_without_nan: Counts
    }
    struct Output: Decodable { var cases: [Case]; var nan: NaNCase }

    @Test(.enabled(if: python != nil,
                   "skipped: needs .venv with dpgen (python3 -m venv .venv && .venv/bin/pip install dpgen)"),
          .timeLimit(.minutes(5)))
    func countsEqualDPGEN() async throws {
        let python = try #require(Self.python)
        let work = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let script = Self.repoRoot.appendingPathComponent("Tests/Scripts/selection_dpgen_equivalence.py")
        // In `work`: dpdispatcher writes its log into the working directory.
        let run = try await ExternalTool.run(python, [script.path, work.appendingPathComponent("files").path], in: work)
        try #require(run.succeeded, "\(run.outcome): \(run.stderr)")
        let result = try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
        #expect(result.cases.count == 3)

        for c in result.cases {
            let virial = c.v_lo.flatMap { lo in c.v_hi.map { (lo: lo, hi: $0) } }
            for (system, expected) in c.systems.sorted(by: { $0.key < $1.key }) {
                let trajs = expected.tasks.map {
                    Trajectory(task: $0, system: system, condition: "-", directory: URL(fileURLWithPath: $0))
                }
                let selector = Selector(force: .fixed(lo: c.f_lo, hi: c.f_hi), virial: virial, maxPerIteration: 0,
                                        strategy: .random, skipFirst: c.skip, seed: 0, iteration: 0,
                                        options: SelectionOptions(filters: .none))
                let o = try selector.pickWithoutFrames(trajs)
                let gyre = Counts(accurate: o.notPicked.accurate, candidate: o.counts.reduce(0) { $0 + $1.candidate },
                                  failed: o.notPicked.failed)
                #expect(gyre == Counts(accurate: expected.accurate, candidate: expected.candidate, failed: expected.failed),
                        "case \(c.name), system \(system)")
                if c.skip > 0 { #expect(o.counts.allSatisfy { $0.skipped > 0 }) }
            }
        }

        // NaN: DP-GEN raises; Gyre counts NaN rows as failed and agrees on every other row.
        let nan = result.nan
        #expect(nan.dpgen_error != nil)
        let selector = Selector(force: .fixed(lo: nan.f_lo, hi: nan.f_hi), maxPerIteration: 0, strategy: .random,
                                seed: 0, iteration: 0, options: SelectionOptions(filters: .none))
        let o = try selector.pickWithoutFrames([Trajectory(task: "nan", system: "0", condition: "-",
                                                           directory: URL(fileURLWithPath: nan.task))])
        let w = nan.dpgen_without_nan
        #expect(o.notPicked.accurate == w.accurate)
        #expect(o.counts[0].candidate == w.candidate)
        #expect(o.notPicked.failed == w.failed + nan.nan_rows)
        #expect(o.trajectories[0].nanFrames == nan.nan_rows)
    }
}
