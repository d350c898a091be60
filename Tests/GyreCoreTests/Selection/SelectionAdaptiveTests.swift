import Foundation
import Testing
@testable import GyreCore

/// DP-GEN2's adaptive lower bound and the lo-stability convergence test.
@Suite("Selection: adaptive lower bound")
struct SelectionAdaptiveTests {
    @Test("candidate count is max(top, ⌊rate·n⌋), at most n",
          arguments: [(0, 0), (3, 3), (5, 5), (100, 5), (1000, 10), (2000, 20), (2099, 20)])
    func count(n: Int, expected: Int) {
        #expect(AdaptiveLowerBound(hi: 0.3, top: 5, rate: 0.01).candidateCount(belowHi: n) == expected)
    }

    @Test("the top frames below hi become candidates; lo is the lowest of them")
    func adaptedWindow() throws {
        let root = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try SelectionFixtures.trajectory(in: root, task: "a", f: [0.01, 0.02, 0.29, 0.30, 0.05])
        let b = try SelectionFixtures.trajectory(in: root, task: "b", f: [0.03, 0.11, 0.07, 1.0, 0.04])
        // 8 frames below hi = 0.3; top 3 → 0.29, 0.11, 0.07.
        let s = SelectionFixtures.settings(adaptive: (0.3, 3, 0.1), maxPerIteration: 10, strategy: .highest)
        let o = try Selector(settings: s, stage: SelectionFixtures.stage(), seed: 1, iteration: 2,
                             options: SelectionOptions(filters: .none)).run([a, b]).0
        #expect(o.window.adaptive)
        #expect(o.window.forceLo == 0.07)
        #expect(o.window.framesBelowHi == 8 && o.window.adaptiveCandidates == 3)
        let c = try #require(o.counts.first)
        #expect((c.accurate, c.candidate, c.failed) == (5, 3, 2))
        #expect(o.picked.map(\.forceDeviation) == [0.29, 0.11, 0.07])
    }

    @Test("ties at the cut go to the later trajectory/row, as DP-GEN2's sort")
    func ties() throws {
        let root = try SelectionFixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try SelectionFixtures.trajectory(in: root, task: "a", f: [0.1, 0.1])
        let b = try SelectionFixtures.trajectory(in: root, task: "b", f: [0.1, 0.01])
        let s = SelectionFixtures.settings(adaptive: (0.3, 1, 0), strategy: .highest)
        let o = try Selector(settings: s, stage: SelectionFixtures.stage(), seed: 1, iteration: 0,
                             options: SelectionOptions(filters: .none)).run([a, b]).0
        #expect(o.picked.map(\.task) == ["b"])
        #expect(o.picked.map(\.frameIndex) == [0])
    }

    @Test("lo stability: |lo_k − lo_k−1| < threshold")
    func stability() {
        #expect(!LowerBoundStability.isStable(previous: nil, current: 0.1, threshold: 0.01))
        #expect(LowerBoundStability.isStable(previous: 0.100, current: 0.105, threshold: 0.01))
        #expect(!LowerBoundStability.isStable(previous: 0.100, current: 0.115, threshold: 0.01))
        #expect(LowerBoundStability.isStable(history: [0.3, 0.2, 0.201, 0.202], threshold: 0.01, window: 3))
        #expect(!LowerBoundStability.isStable(history: [0.3, 0.2, 0.201], threshold: 0.01, window: 3))
    }
}
