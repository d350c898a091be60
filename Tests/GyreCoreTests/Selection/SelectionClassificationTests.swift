import Foundation
import Testing
@testable import GyreCore

/// Whole-trajectory rules: skip_first, NaN, cut_after_failure, counts per condition.
@Suite("Selection: classification of trajectories")
struct SelectionClassificationTests {
    func outcome(_ settings: SelectSettings, _ f: [[Double]], v: [[Double]]? = nil,
                 systems: [String]? = nil) throws -> SelectionOutcome {
        let root = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let trajs = try f.indices.map { i in
            try SelectionFixtures.trajectory(in: root, task: "task.\(i)", system: systems?[i] ?? "bulk",
                                             f: f[i], v: v?[i])
        }
        return try Selector(settings: settings, stage: SelectionFixtures.stage(), seed: 7, iteration: 1,
                            options: SelectionOptions(filters: .none)).run(trajs).0
    }

    @Test("counts accurate / candidate / failed, NaN as failed")
    func counts() throws {
        let o = try outcome(SelectionFixtures.settings(maxPerIteration: 0), [[0.01, 0.05, 0.1, 0.15, .nan, 0.2, 0.049]])
        let c = try #require(o.counts.first)
        #expect((c.sampled, c.accurate, c.candidate, c.failed) == (7, 2, 2, 3))
        #expect(o.trajectories[0].nanFrames == 1)
        #expect(o.trajectories[0].firstFailedStep == 30)
        #expect(o.notPicked == NotPickedCounts(accurate: 2, failed: 3, overBudget: 2, filtered: 0))
        #expect(abs(o.accurateFraction - 2.0 / 7) < 1e-15)
    }

    @Test("frames with step < skip_first are not classified")
    func skipFirst() throws {
        // steps 0, 10, 20, 30, 40: skip_first 20 drops the first two.
        let o = try outcome(SelectionFixtures.settings(skipFirst: 20), [[0.5, 0.1, 0.01, 0.1, 0.2]])
        let c = try #require(o.counts.first)
        #expect((c.sampled, c.skipped, c.accurate, c.candidate, c.failed) == (3, 2, 1, 1, 1))
        #expect(o.picked.allSatisfy { $0.step >= 20 })
    }

    @Test("cut_after_failure marks every frame after the first failure failed")
    func cutAfterFailure() throws {
        let f = [0.1, 0.01, 0.3, 0.01, 0.1, 0.1]
        let cut = try outcome(SelectionFixtures.settings(cutAfterFailure: true), [f])
        #expect((cut.counts[0].accurate, cut.counts[0].candidate, cut.counts[0].failed) == (1, 1, 4))
        #expect(cut.picked.map(\.step) == [0])
        let kept = try outcome(SelectionFixtures.settings(cutAfterFailure: false), [f])
        #expect((kept.counts[0].accurate, kept.counts[0].candidate, kept.counts[0].failed) == (2, 3, 1))
    }

    @Test("NaN starts the cut too")
    func nanCuts() throws {
        let o = try outcome(SelectionFixtures.settings(cutAfterFailure: true), [[0.1, .nan, 0.1, 0.01]])
        #expect((o.counts[0].candidate, o.counts[0].failed) == (1, 3))
    }

    @Test("virial window from the settings is applied")
    func virial() throws {
        let s = SelectionFixtures.settings(virial: (0.02, 0.06))
        let o = try outcome(s, [[0.01, 0.01, 0.01, 0.2]], v: [[0.01, 0.03, 0.07, 0.03]])
        #expect((o.counts[0].accurate, o.counts[0].candidate, o.counts[0].failed) == (1, 2, 1))
        #expect(o.window.virialLo == 0.02 && o.window.virialHi == 0.06)
    }

    @Test("counts are kept per system × condition, in order of appearance")
    func perCondition() throws {
        let o = try outcome(SelectionFixtures.settings(maxPerIteration: 0),
                            [[0.1], [0.01], [0.2, 0.1]], systems: ["b", "a", "b"])
        #expect(o.counts.map(\.system) == ["b", "a"])
        #expect((o.counts[0].sampled, o.counts[0].candidate, o.counts[0].failed) == (3, 2, 1))
    }

    @Test("a system's own window replaces the global one for that system only")
    func perSystemTrust() throws {
        let root = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let f = [0.01, 0.06, 0.12, 0.2]
        let a = try SelectionFixtures.trajectory(in: root, task: "a", system: "a", f: f)
        let b = try SelectionFixtures.trajectory(in: root, task: "b", system: "b", f: f)
        let options = SelectionOptions(filters: .none, systemTrust: ["b": TrustWindow(forceLo: 0.1, forceHi: 0.3)])
        let o = try Selector(settings: SelectionFixtures.settings(maxPerIteration: 0), stage: SelectionFixtures.stage(),
                             seed: 1, iteration: 0, options: options).run([a, b]).0
        #expect((o.counts[0].accurate, o.counts[0].candidate, o.counts[0].failed) == (1, 2, 1))
        #expect((o.counts[1].accurate, o.counts[1].candidate, o.counts[1].failed) == (2, 2, 0))
        #expect(o.window.systemWindows?.map(\.system) == ["b"])
    }

    @Test("a task without traj.extxyz: its candidates are reported missing, others are still picked")
    func missingTrajectoryFile() throws {
        let root = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try SelectionFixtures.trajectory(in: root, task: "a", f: [0.14])
        let b = try SelectionFixtures.trajectory(in: root, task: "b", f: [0.10])
        try FileManager.default.removeItem(at: a.frames)
        let (o, frames) = try Selector(settings: SelectionFixtures.settings(maxPerIteration: 2), stage: SelectionFixtures.stage(),
                                       seed: 1, iteration: 0, options: SelectionOptions(filters: .none)).run([a, b])
        #expect(o.filtered.map(\.task) == ["a"] && o.filtered.map(\.reason) == [.frameMissing])
        #expect(o.picked.map(\.task) == ["b"] && frames.count == 1)
    }
}
