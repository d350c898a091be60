import Foundation
import Testing
@testable import GyreCore

/// Budgets, strategies, filters and determinism.
@Suite("Selection: picking")
final class SelectionPickingTests {
    let root: URL

    init() throws { root = try SelectionFixtures.tempDirectory() }

    deinit { try? FileManager.default.removeItem(at: root) }

    func select(_ s: SelectSettings, _ trajs: [Trajectory], seed: UInt64 = 7, iteration: Int = 1,
                options: SelectionOptions = SelectionOptions(filters: .none)) throws -> (SelectionOutcome, [Frame]) {
        try Selector(settings: s, stage: SelectionFixtures.stage(), seed: seed, iteration: iteration, options: options).run(trajs)
    }

    /// Candidates 0.06 … 0.14 spread over two systems and three trajectories.
    func candidates() throws -> [Trajectory] {
        [
            try SelectionFixtures.trajectory(in: root, task: "t0", system: "a", f: [0.06, 0.14, 0.01, 0.10, 0.2]),
            try SelectionFixtures.trajectory(in: root, task: "t1", system: "a", f: [0.13, 0.07, 0.12]),
            try SelectionFixtures.trajectory(in: root, task: "t2", system: "b", f: [0.08, 0.11, 0.09, 0.065]),
        ]
    }

    @Test("highest picks the largest force deviations first, up to max_per_iteration")
    func highest() throws {
        let (o, frames) = try select(SelectionFixtures.settings(maxPerIteration: 4, strategy: .highest), candidates())
        #expect(o.picked.map(\.forceDeviation) == [0.14, 0.13, 0.12, 0.11])
        #expect(o.picked.allSatisfy { $0.reason == .highestDeviation })
        #expect(frames.count == 4)
        #expect(o.notPicked.overBudget == 10 - 4)
        // The returned frame is the one at that row of the trajectory.
        let t0 = try ExtXYZ.read(root.appendingPathComponent("t0/traj.extxyz"))
        #expect(frames[0] == t0[1])
        #expect(o.picked[0].step == 10 && o.picked[0].frameIndex == 1)
    }

    @Test("max_per_system caps each system; the budget goes on to the others")
    func perSystemCap() throws {
        let (o, _) = try select(SelectionFixtures.settings(maxPerIteration: 5, maxPerSystem: 2, strategy: .highest), candidates())
        #expect(o.picked.map(\.forceDeviation) == [0.14, 0.13, 0.11, 0.09])
        #expect(o.counts.map(\.picked) == [2, 2])
        #expect(o.counts.map(\.overBudget) == [4, 2])
    }

    @Test("the accurate-ratio taper shrinks the budget as DP-GEN's soft threshold does")
    func taper() {
        let taper = AccurateTaper(soft: 0.9, hard: 1.0)
        #expect(taper.budget(100, accurateRatio: 0.5) == 100)
        #expect(taper.budget(100, accurateRatio: 0.95) == 50)
        #expect(taper.budget(100, accurateRatio: 1.0) == 0)
    }

    @Test("random is deterministic for a seed and iteration, independent of trajectory order")
    func randomDeterminism() throws {
        let s = SelectionFixtures.settings(maxPerIteration: 4, strategy: .random)
        let trajs = try candidates()
        let a = try select(s, trajs).0.picked
        let b = try select(s, trajs).0.picked
        let reversed = try select(s, trajs.reversed()).0.picked
        #expect(a == b)
        #expect(Set(a.map { "\($0.task)/\($0.step)" }) == Set(reversed.map { "\($0.task)/\($0.step)" }))
        #expect(a.allSatisfy { $0.reason == .randomDraw })
        // Over several seeds and iterations the draws differ.
        var seen = Set<[String]>()
        for seed in 0..<6 { seen.insert(try select(s, trajs, seed: UInt64(seed)).0.picked.map { "\($0.task)/\($0.step)" }) }
        for it in 2..<5 { seen.insert(try select(s, trajs, iteration: it).0.picked.map { "\($0.task)/\($0.step)" }) }
        #expect(seen.count > 3)
    }

    @Test("filters run before the cap: a rejected frame leaves its slot to the next")
    func filtersBeforeCap() throws {
        var frames = (0..<4).map { SelectionFixtures.crystal(rattle: 0.02, seed: UInt64($0)) }
        frames[1].positions[1] = frames[1].positions[0] + SIMD3(0.3, 0, 0)  // atoms 0.3 Å apart
        var skewed = frames[2]
        skewed.cell = Cell(Matrix3(SIMD3(7.22, 0, 0), SIMD3(0, 7.22, 0), SIMD3(0, 0, 50)))
        frames[2] = skewed
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.10, 0.14, 0.13, 0.12], frames: frames)
        let (o, picked) = try select(SelectionFixtures.settings(maxPerIteration: 2, strategy: .highest), [t],
                                     options: SelectionOptions(filters: .standard))
        #expect(o.picked.map(\.frameIndex) == [3, 0])
        #expect(picked.count == 2)
        #expect(o.filtered.map(\.reason) == [.atomsTooClose, .cellTooElongated])
        #expect(abs((o.filtered[0].value ?? 0) - 0.3) < 1e-9)
        #expect(o.notPicked.filtered == 2 && o.notPicked.overBudget == 0)
        #expect(o.counts[0].filtered == 2)
    }

    @Test("a structure in the data set already, or twice among the candidates, takes one slot at most",
          arguments: [SelectSettings.Strategy.random, .highest, .diverse])
    func duplicatesAreFiltered(strategy: SelectSettings.Strategy) throws {
        // Frame 0 is labelled already; frames 2 and 3 are the same structure.
        var frames = (0..<5).map { SelectionFixtures.crystal(rattle: 0.05, seed: UInt64($0)) }
        frames[3] = frames[2]
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.14, 0.13, 0.12, 0.11, 0.10], frames: frames)
        let (o, picked) = try Selector(
            settings: SelectionFixtures.settings(maxPerIteration: 3, strategy: strategy), stage: SelectionFixtures.stage(),
            seed: 7, iteration: 1, options: SelectionOptions(filters: .none), labelled: [FrameContent(frames[0]).digest]
        ).run([t])
        #expect(Set(o.picked.map(\.frameIndex)) == [1, 2, 4] || Set(o.picked.map(\.frameIndex)) == [1, 3, 4],
                "picked \(o.picked.map(\.frameIndex)), filtered \(o.filtered.map(\.frameIndex))")
        #expect(o.filtered.map(\.reason) == [.duplicate, .duplicate])
        #expect(o.filtered.contains { $0.frameIndex == 0 })
        #expect(Set(picked.map(FrameContent.init)).count == 3)
    }

    @Test("when filters reject more than the kept candidates, a rescan still fills the budget")
    func rescanAfterHeavyFiltering() throws {
        var frames: [Frame] = []
        var f: [Double] = []
        for i in 0..<60 {
            var fr = SelectionFixtures.crystal(rattle: 0.02, seed: UInt64(i))
            if i < 50 { fr.positions[1] = fr.positions[0] + SIMD3(0.2, 0, 0) }  // the 50 highest are all broken
            frames.append(fr)
            f.append(0.14 - Double(i) * 0.001)
        }
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: f, frames: frames)
        let (o, picked) = try select(SelectionFixtures.settings(maxPerIteration: 3, strategy: .highest), [t],
                                     options: SelectionOptions(filters: .standard))
        #expect(o.picked.map(\.frameIndex) == [50, 51, 52])
        #expect(picked.count == 3 && o.filtered.count == 50)
    }

    @Test("a trajectory shorter than its model_devi.out: the missing frame is filtered, not a crash")
    func missingFrame() throws {
        let frames = [SelectionFixtures.crystal(rattle: 0.02, seed: 1)]
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.10, 0.14], frames: frames)
        let (o, picked) = try select(SelectionFixtures.settings(maxPerIteration: 2, strategy: .highest), [t])
        #expect(o.filtered.map(\.reason) == [.frameMissing])
        #expect(o.picked.map(\.frameIndex) == [0] && picked.count == 1)
    }

    @Test("pickWithoutFrames decides exactly as run when no filter is on")
    func withoutFrames() throws {
        for strategy in [SelectSettings.Strategy.random, .highest] {
            let s = SelectionFixtures.settings(maxPerIteration: 5, maxPerSystem: 3, strategy: strategy)
            let selector = Selector(settings: s, stage: SelectionFixtures.stage(), seed: 3, iteration: 4,
                                    options: SelectionOptions(filters: .none))
            let trajs = try candidates()
            #expect(try selector.pickWithoutFrames(trajs) == selector.run(trajs).0)
        }
    }

    @Test("the report round-trips through its JSON file, written atomically")
    func report() throws {
        let (o, _) = try select(SelectionFixtures.settings(maxPerIteration: 3, strategy: .random), candidates())
        let url = root.appendingPathComponent("select/report.json")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SelectionReport.write(o, to: url)
        #expect(try SelectionReport.read(url) == o)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(leftovers == ["report.json"])
        #expect(SelectionReport.summary(o).contains("selected 3 of 12 frames"))
    }
}
