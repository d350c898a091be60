/// Greedy weighted coverage (facility location): repeatedly take the point
/// that most reduces Σᵢ wᵢ · dᵢ, where dᵢ is the distance from point i to the
/// nearest taken point of its group, capped at `reach` (the largest distance
/// between a point and its group's references) while none is taken. A near-duplicate of a taken point
/// gains nothing, and a point amid many uncertain ones gains more than an
/// outlier, so the picks are representatives of the candidates, not their
/// extremes — what farthest-point sampling takes first.
///
/// The objective is submodular, so gains only shrink as points are taken: a
/// gain computed before the group's last pick is an upper bound, and only the
/// best bound needs recomputing (lazy greedy; the same picks as recomputing
/// every gain). Ties go to the lower index (callers order points by preference).
struct CoverageSampler {
    let points: [StructureFingerprint]
    /// Group (system) of each point: a point is covered only by taken points of its group.
    let groups: [Int]
    /// One non-negative weight per point.
    let weights: [Double]
    /// Coverage is measured over at most this many points per group (evenly
    /// spaced in index order when a group has more), so one pick costs
    /// O(limit) distances, whatever the pool.
    var referenceLimit = 1000

    struct Pick {
        var index: Int
        /// Distance to the nearest point of its group taken before it (infinity for its group's first).
        var distance: Double
    }

    /// Up to `count` picks in order. `allowed(i)` is asked before each pick so
    /// callers can enforce caps; `onPick` is told of each pick before the next is chosen.
    func sample(count: Int, allowed: (Int) -> Bool, picked onPick: (Int) -> Void) throws -> [Pick] {
        let n = points.count
        guard n > 0, count > 0 else { return [] }
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[groups[i], default: []].append(i) }
        let limit = max(1, referenceLimit)
        let references = members.mapValues { m in
            m.count <= limit ? m : (0..<limit).map { m[$0 * m.count / limit] }
        }
        let widest = try ParallelMap.map(n) { [points, groups] a in
            (references[groups[a]] ?? []).reduce(0.0) { max($0, $1 > a ? points[a].distance(to: points[$1]) : 0) }
        }
        // All points identical: any positive reach makes every first pick gain the same.
        var cost = [Double](repeating: max(widest.max() ?? 0, 1e-12), count: n)
        var bound = try ParallelMap.map(n) { [cost] p in gain(p, cost: cost, over: references[groups[p]] ?? []) }
        var stale = [Bool](repeating: false, count: n)
        var nearest = [Double](repeating: .infinity, count: n)
        var taken = [Bool](repeating: false, count: n)
        var out: [Pick] = []
        while out.count < count {
            var best: Int?
            for i in 0..<n where !taken[i] && (best.map { bound[i] > bound[$0] } ?? true) && allowed(i) {
                best = i
            }
            guard let p = best else { break }
            if stale[p] {
                bound[p] = gain(p, cost: cost, over: references[groups[p]] ?? [])
                stale[p] = false
                continue
            }
            taken[p] = true
            out.append(Pick(index: p, distance: nearest[p]))
            onPick(p)
            for i in members[groups[p]] ?? [] {
                let d = points[i].distance(to: points[p])
                cost[i] = min(cost[i], d)
                nearest[i] = min(nearest[i], d)
                stale[i] = true
            }
        }
        return out
    }

    /// How much taking `p` would reduce the weighted cost of `references`.
    private func gain(_ p: Int, cost: [Double], over references: [Int]) -> Double {
        var g = 0.0
        for i in references {
            let d = points[i].distance(to: points[p])
            if d < cost[i] { g += weights[i] * (cost[i] - d) }
        }
        return g
    }
}
