/// Greedy farthest-point sampling: take the given start points first, then
/// repeatedly the point whose distance to everything taken so far, times its
/// weight, is largest, so near-duplicates are taken last. Ties go to the lower
/// index (callers order points by preference).
struct FarthestPointSampler {
    let points: [StructureFingerprint]
    /// One non-negative weight per point; nil: all weigh the same.
    var weights: [Double]?

    struct Pick {
        var index: Int
        /// Unweighted distance to the points taken before it (infinity for the first).
        var distance: Double
        /// Taken as one of the start points, not for its distance.
        var isStart: Bool
    }

    /// Up to `count` picks in order. `allowed(i)` is asked before each pick
    /// (a start that is not allowed is skipped) so callers can enforce caps;
    /// `onPick` is told of each pick before the next is chosen.
    func sample(count: Int, starts: [Int], allowed: (Int) -> Bool, picked onPick: (Int) -> Void) -> [Pick] {
        let n = points.count
        var nearest = [Double](repeating: .infinity, count: n)
        var taken = [Bool](repeating: false, count: n)
        var pending = starts[...]
        func nextStart() -> Int? {
            while let q = pending.popFirst() {
                if q >= 0 && q < n && !taken[q] && allowed(q) { return q }
            }
            return nil
        }
        var out: [Pick] = []
        var next: (index: Int, isStart: Bool)? = nextStart().map { ($0, true) } ?? (0..<n).first(where: allowed).map { ($0, false) }
        while let (p, isStart) = next, out.count < count {
            taken[p] = true
            out.append(Pick(index: p, distance: nearest[p], isStart: isStart))
            onPick(p)
            var best = -1.0
            var farthest: Int?
            for i in 0..<n where !taken[i] {
                let d = points[i].distance(to: points[p])
                if d < nearest[i] { nearest[i] = d }
                let score = nearest[i] * (weights?[i] ?? 1)
                if score > best && allowed(i) {
                    best = score
                    farthest = i
                }
            }
            next = nextStart().map { ($0, true) } ?? farthest.map { ($0, false) }
        }
        return out
    }
}
