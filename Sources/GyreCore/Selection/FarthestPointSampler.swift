/// Greedy farthest-point sampling: start from a given point, then repeatedly
/// take the point whose distance to everything taken so far, times its
/// weight, is largest, so near-duplicates are taken last. Ties go to the lower
/// index (callers order points by preference).
struct FarthestPointSampler {
    let points: [StructureFingerprint]
    /// One non-negative weight per point; nil: all weigh the same.
    var weights: [Double]?

    /// Up to `count` indices in pick order, each with its (unweighted) distance
    /// to the previously picked set at the time it was picked (infinity for the first).
    /// `allowed(i)` is asked before each pick so callers can enforce caps.
    func sample(count: Int, start: Int, allowed: (Int) -> Bool, picked onPick: (Int) -> Void) -> [(index: Int, distance: Double)] {
        let n = points.count
        guard n > 0, count > 0, start >= 0, start < n else { return [] }
        var nearest = [Double](repeating: .infinity, count: n)
        var taken = [Bool](repeating: false, count: n)
        var out: [(index: Int, distance: Double)] = []
        var next: Int? = allowed(start) ? start : nil
        if next == nil {
            next = (0..<n).first(where: allowed)
        }
        while let p = next, out.count < count {
            taken[p] = true
            out.append((p, nearest[p]))
            onPick(p)
            next = nil
            var best = -1.0
            for i in 0..<n where !taken[i] {
                let d = points[i].distance(to: points[p])
                if d < nearest[i] { nearest[i] = d }
                let score = nearest[i] * (weights?[i] ?? 1)
                if score > best && allowed(i) {
                    best = score
                    next = i
                }
            }
        }
        return out
    }
}
