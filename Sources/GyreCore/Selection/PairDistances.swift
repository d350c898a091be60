/// Every interatomic distance below a cutoff in a frame, periodic images
/// included: enough for the filters and fingerprints of a few hundred
/// candidate frames (O(N²·images), no neighbour list needed at this scale).
enum PairDistances {
    /// Calls `body(i, j, r)` for each pair i ≤ j (i == j only for a periodic
    /// self-image) closer than `cutoff`; stops when `body` returns false.
    static func forEach(in frame: Frame, cutoff: Double, _ body: (Int, Int, Double) -> Bool) {
        let n = frame.count
        let cut2 = cutoff * cutoff
        guard n > 0, cutoff > 0 else { return }
        guard let cell = frame.cell, let inverse = cell.matrix.inverse, let widths = cell.perpendicularWidths,
              widths.x > 0, widths.y > 0, widths.z > 0 else {
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) {
                    let d = frame.positions[j] - frame.positions[i]
                    let r2 = dot(d, d)
                    if r2 < cut2 && !body(i, j, r2.squareRoot()) { return }
                }
            }
            return
        }
        var images = SIMD3<Int>(0, 0, 0)
        for k in 0..<3 where cell.pbc[k] {
            images[k] = Int((cutoff / widths[k]).rounded(.up))
        }
        let m = cell.matrix
        for i in 0..<n {
            for j in i..<n {
                // Reduce the separation to the nearest image first, so unwrapped positions work too.
                var f = inverse.leftMultiply(frame.positions[j] - frame.positions[i])
                for k in 0..<3 where cell.pbc[k] { f[k] -= f[k].rounded() }
                let base = m.leftMultiply(f)
                for a in -images.x...images.x {
                    for b in -images.y...images.y {
                        for c in -images.z...images.z {
                            if i == j && a == 0 && b == 0 && c == 0 { continue }
                            let shift = Double(a) * m.rows.0 + Double(b) * m.rows.1 + Double(c) * m.rows.2
                            let d = base + shift
                            let r2 = dot(d, d)
                            if r2 < cut2 && !body(i, j, r2.squareRoot()) { return }
                        }
                    }
                }
            }
        }
    }

    /// The shortest interatomic distance, or nil when none is below `cutoff`.
    static func shortest(in frame: Frame, below cutoff: Double) -> Double? {
        var best: Double?
        forEach(in: frame, cutoff: cutoff) { _, _, r in
            best = min(best ?? r, r)
            return true
        }
        return best
    }
}
