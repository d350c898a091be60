import Foundation
import Testing
@testable import GyreCore

/// `strategy: diverse`: coverage (the default) and farthest-point sampling.
@Suite("Selection: diverse")
final class SelectionDiverseTests {
    let root: URL
    let farthest = SelectionOptions(filters: .none, diverseObjective: .farthest)

    init() throws { root = try SelectionFixtures.tempDirectory() }

    deinit { try? FileManager.default.removeItem(at: root) }

    func select(_ s: SelectSettings, _ trajs: [Trajectory],
                options: SelectionOptions = SelectionOptions(filters: .none)) throws -> (SelectionOutcome, [Frame]) {
        try Selector(settings: s, stage: SelectionFixtures.stage(), seed: 7, iteration: 1, options: options).run(trajs)
    }

    /// Ten near-identical copies of one structure with the highest deviations,
    /// then ten genuinely different structures (strained, rattled) below them.
    func copiesAndOthers() throws -> Trajectory {
        var frames: [Frame] = []
        var f: [Double] = []
        let base = SelectionFixtures.crystal(rattle: 0.05, seed: 99)
        for i in 0..<10 {
            var copy = base
            var g = SeededGenerator(seed: UInt64(i), stream: ["copy"])
            copy.positions = copy.positions.map { $0 + 1e-4 * SIMD3(g.nextGaussian(), g.nextGaussian(), g.nextGaussian()) }
            frames.append(copy)
            f.append(0.14 - Double(i) * 0.001)
        }
        for i in 0..<10 {
            frames.append(SelectionFixtures.crystal(rattle: 0.04 + 0.02 * Double(i), strain: 0.01 * Double(i - 5), seed: UInt64(200 + i)))
            f.append(0.10 - Double(i) * 0.001)
        }
        return try SelectionFixtures.trajectory(in: root, task: "t", f: f, frames: frames)
    }

    @Test("coverage takes one of a cluster of near-duplicates, then other structures")
    func coverageAvoidsDuplicates() throws {
        let budget = 5
        let o = try select(SelectionFixtures.settings(maxPerIteration: budget, strategy: .diverse), [copiesAndOthers()]).0
        #expect(o.picked.count == budget)
        #expect(o.picked.filter { $0.frameIndex < 10 }.count == 1)
        #expect(o.picked.allSatisfy { $0.reason == .coversCandidates })
        #expect(o.picked.first?.distanceToPicked == nil)
        #expect(o.picked.dropFirst().allSatisfy { ($0.distanceToPicked ?? 0) > 0.01 })
    }

    @Test("coverage takes a representative of many similar candidates, farthest the outlier")
    func coverageTakesRepresentatives() throws {
        // Six mildly rattled frames and one strongly rattled, strained outlier with the highest deviation.
        var frames = (0..<6).map { SelectionFixtures.crystal(rattle: 0.08, seed: UInt64(10 + $0)) }
        frames.insert(SelectionFixtures.crystal(rattle: 0.35, strain: 0.04, seed: 3), at: 0)
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.14, 0.10, 0.10, 0.10, 0.10, 0.10, 0.10], frames: frames)
        let s = SelectionFixtures.settings(maxPerIteration: 1, strategy: .diverse)
        let coverage = try select(s, [t]).0
        let far = try select(s, [t], options: farthest).0
        #expect(far.picked.map(\.frameIndex) == [0])
        #expect(coverage.picked.count == 1 && coverage.picked[0].frameIndex != 0)
        // Unweighted coverage too: the outlier's deviation does not decide it.
        var plain = SelectionOptions(filters: .none)
        plain.diverseWeight = .none
        #expect(try select(s, [t], options: plain).0.picked.map(\.frameIndex) == coverage.picked.map(\.frameIndex))
    }

    @Test("coverage weighs candidates by deviation: of two equal groups the uncertain one gets the first label")
    func coverageWeighsByDeviation() throws {
        // Two systems of three similar frames each; b's are the more uncertain, a's come first in the files.
        let a = try SelectionFixtures.trajectory(
            in: root, task: "ta", system: "a", f: [0.06, 0.06, 0.06],
            frames: (0..<3).map { SelectionFixtures.crystal(rattle: 0.08, seed: UInt64(20 + $0)) })
        let b = try SelectionFixtures.trajectory(
            in: root, task: "tb", system: "b", f: [0.12, 0.12, 0.12],
            frames: (0..<3).map { SelectionFixtures.crystal(rattle: 0.08, strain: 0.03, seed: UInt64(30 + $0)) })
        let s = SelectionFixtures.settings(maxPerIteration: 2, strategy: .diverse)
        let o = try select(s, [a, b]).0
        #expect(o.picked.map(\.system) == ["b", "a"])
        // A cap of one per system still gives each system its label.
        let capped = try select(SelectionFixtures.settings(maxPerIteration: 4, maxPerSystem: 1, strategy: .diverse), [a, b]).0
        #expect(capped.picked.map(\.system).sorted() == ["a", "b"])
    }

    @Test("the lazy greedy makes the same picks as recomputing every gain", arguments: [1, 2, 3])
    func coverageLazyEqualsGreedy(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed, stream: ["points"])
        let n = 60
        let points = (0..<n).map { _ in StructureFingerprint(values: (0..<4).map { _ in g.nextGaussian() }) }
        let groups = (0..<n).map { $0 % 3 }
        let weights = (0..<n).map { _ in 0.01 + 0.99 * g.nextUnit() }
        let lazy = try CoverageSampler(points: points, groups: groups, weights: weights)
            .sample(count: 12, allowed: { _ in true }, picked: { _ in }).map(\.index)
        #expect(lazy == Self.bruteForceCoverage(points, groups, weights, count: 12))
        #expect(Set(lazy).count == 12)
    }

    @Test("coverage over a subsample of references still picks distinct points up to the count")
    func coverageReferenceSubsample() throws {
        var g = SeededGenerator(seed: 5, stream: ["points"])
        let points = (0..<50).map { _ in StructureFingerprint(values: (0..<3).map { _ in g.nextGaussian() }) }
        var sampler = CoverageSampler(points: points, groups: points.map { _ in 0 }, weights: points.map { _ in 1 })
        sampler.referenceLimit = 7
        let picks = try sampler.sample(count: 10, allowed: { $0 % 2 == 0 }, picked: { _ in })
        #expect(picks.count == 10 && Set(picks.map(\.index)).count == 10 && picks.allSatisfy { $0.index % 2 == 0 })
    }

    /// Greedy facility location recomputing every gain at every step.
    static func bruteForceCoverage(_ points: [StructureFingerprint], _ groups: [Int], _ w: [Double], count: Int) -> [Int] {
        let n = points.count
        var reach = 0.0
        for a in 0..<n { for b in 0..<n where groups[a] == groups[b] { reach = max(reach, points[a].distance(to: points[b])) } }
        var cost = [Double](repeating: reach, count: n)
        var picks: [Int] = []
        while picks.count < count {
            var best = -1.0, choice = -1
            for p in 0..<n where !picks.contains(p) {
                var gain = 0.0
                for i in 0..<n where groups[i] == groups[p] {
                    gain += w[i] * max(0, cost[i] - points[i].distance(to: points[p]))
                }
                if gain > best { best = gain; choice = p }
            }
            picks.append(choice)
            for i in 0..<n where groups[i] == groups[choice] { cost[i] = min(cost[i], points[i].distance(to: points[choice])) }
        }
        return picks
    }

    @Test("farthest spreads its picks instead of taking near-duplicates")
    func farthestAvoidsDuplicates() throws {
        let t = try copiesAndOthers()
        let budget = 5
        let diverse = try select(SelectionFixtures.settings(maxPerIteration: budget, strategy: .diverse), [t], options: farthest).0
        let highest = try select(SelectionFixtures.settings(maxPerIteration: budget, strategy: .highest), [t]).0
        let copiesDiverse = diverse.picked.filter { $0.frameIndex < 10 }.count
        let copiesHighest = highest.picked.filter { $0.frameIndex < 10 }.count
        #expect(copiesHighest == budget)
        #expect(copiesDiverse == 1)
        #expect(diverse.picked.first?.frameIndex == 0 && diverse.picked.first?.reason == .diverseStart)
        #expect(diverse.picked.dropFirst().allSatisfy { $0.reason == .farthestFromPicked && ($0.distanceToPicked ?? 0) > 0 })
        #expect(diverse.picked.count == budget)
    }

    @Test("farthest weighs distance by deviation: of two new structures it takes the uncertain one; weight none the farther")
    func farthestWeighsByDeviation() throws {
        // Start: the highest deviation. Then a strongly rattled frame the models
        // agree on (just above lo) and a mildly rattled one they disagree on.
        let frames = [SelectionFixtures.crystal(rattle: 0.02, seed: 1),
                      SelectionFixtures.crystal(rattle: 0.30, seed: 2),
                      SelectionFixtures.crystal(rattle: 0.10, seed: 3)]
        let t = try SelectionFixtures.trajectory(in: root, task: "t", f: [0.14, 0.051, 0.13], frames: frames)
        let s = SelectionFixtures.settings(maxPerIteration: 2, strategy: .diverse)
        let weighted = try select(s, [t], options: farthest).0
        var plain = farthest
        plain.diverseWeight = .none
        let unweighted = try select(s, [t], options: plain).0
        #expect(weighted.picked.map(\.frameIndex) == [0, 2])
        #expect(unweighted.picked.map(\.frameIndex) == [0, 1])
        // The report keeps the plain fingerprint distance, whatever the weight.
        let d1 = try #require(unweighted.picked[1].distanceToPicked), d2 = try #require(weighted.picked[1].distanceToPicked)
        #expect(d1 > d2)
    }

    @Test("farthest takes each system's most uncertain candidate first, then the farthest weighted by deviation")
    func farthestStartsInEverySystem() throws {
        // System b's candidates are less uncertain and close to a's first frame:
        // weighted farthest-point sampling alone would take a's other frames first.
        let a = try SelectionFixtures.trajectory(
            in: root, task: "ta", system: "a", f: [0.14, 0.13, 0.12],
            frames: [SelectionFixtures.crystal(rattle: 0.05, seed: 1), SelectionFixtures.crystal(rattle: 0.3, seed: 2),
                     SelectionFixtures.crystal(rattle: 0.2, strain: 0.03, seed: 3)])
        let b = try SelectionFixtures.trajectory(
            in: root, task: "tb", system: "b", f: [0.055, 0.06],
            frames: [SelectionFixtures.crystal(rattle: 0.06, seed: 4), SelectionFixtures.crystal(rattle: 0.05, seed: 5)])
        let o = try select(SelectionFixtures.settings(maxPerIteration: 3, strategy: .diverse), [a, b], options: farthest).0
        #expect(o.picked.map { "\($0.system)\($0.frameIndex)" } == ["a0", "b1", "a1"])
        #expect(o.picked.map(\.reason) == [.diverseStart, .diverseStart, .farthestFromPicked])
        // A cap of one per system leaves b's start to b and the rest of the budget unused by a.
        let capped = try select(SelectionFixtures.settings(maxPerIteration: 3, maxPerSystem: 1, strategy: .diverse), [a, b],
                                options: farthest).0
        #expect(capped.picked.map { "\($0.system)\($0.frameIndex)" } == ["a0", "b1"])
    }
}
