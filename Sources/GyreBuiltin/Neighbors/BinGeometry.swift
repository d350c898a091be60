import GyreCore

/// Atoms sorted into bins of a (possibly triclinic) cell for the neighbour search.
struct BinGeometry {
    /// Lattice vectors as rows; identity for an isolated system (then fractional = Cartesian).
    let matrix: Matrix3
    let periodic: Periodicity
    /// Cartesian positions after wrapping into the home cell along periodic axes.
    let wrapped: [SIMD3<Double>]
    /// Lattice translations removed by the wrapping: position = wrapped + wraps · matrix.
    let wraps: [SIMD3<Int32>]
    let binCounts: SIMD3<Int>
    /// How many bins either side must be searched along each axis.
    let reach: SIMD3<Int>
    let binOfAtom: [SIMD3<Int>]
    /// Atoms of bin b are binAtoms[binStart[b]..<binStart[b+1]].
    let binStart: [Int]
    let binAtoms: [Int]

    init(positions: [SIMD3<Double>], cell: Cell?, cutoff: Double) {
        let n = positions.count
        var matrix = Matrix3.identity
        var periodic = Periodicity.none
        var inverse = Matrix3.identity
        if let cell, let inv = cell.matrix.inverse {
            matrix = cell.matrix
            inverse = inv
            periodic = cell.pbc
        }
        // Perpendicular width per unit of fractional coordinate along each axis.
        let recip = inverse.transposed
        let width = SIMD3(1 / norm(recip.rows.0), 1 / norm(recip.rows.1), 1 / norm(recip.rows.2))

        var fractional = [SIMD3<Double>](repeating: .zero, count: n)
        var wraps = [SIMD3<Int32>](repeating: .zero, count: n)
        for i in 0..<n {
            var f = inverse.leftMultiply(positions[i])
            var w = SIMD3<Int32>.zero
            // Coordinates beyond ±1e9 cells (a blown-up run) are left unwrapped: the
            // conversion to Int32 would trap, and the caller stops such runs anyway.
            for d in 0..<3 where periodic[d] && abs(f[d]) < 1e9 {
                let fl = f[d].rounded(.down)
                f[d] -= fl
                w[d] = Int32(clamping: Int(fl))
                // Rounding can land exactly on 1 for tiny negative inputs.
                if f[d] >= 1 { f[d] -= 1; w[d] &+= 1 }
            }
            fractional[i] = f
            wraps[i] = w
        }

        var lower = SIMD3<Double>(0, 0, 0)
        var span = SIMD3<Double>(1, 1, 1)
        var counts = SIMD3<Int>(1, 1, 1)
        for d in 0..<3 {
            if !periodic[d] {
                var lo = Double.infinity, hi = -Double.infinity
                for f in fractional where f[d].isFinite {
                    lo = min(lo, f[d]); hi = max(hi, f[d])
                }
                if lo > hi { lo = 0; hi = 0 }
                lower[d] = lo
                span[d] = max(hi - lo, 1e-12)
            }
            let bins = (span[d] * width[d] / cutoff).rounded(.down)
            counts[d] = bins.isFinite ? max(1, Int(min(bins, 1e6))) : 1
        }
        // A sparse isolated system must not allocate more bins than it has use for.
        let limit = max(27, 2 * n)
        while counts.x * counts.y * counts.z > limit {
            let d = counts.x >= counts.y && counts.x >= counts.z ? 0 : (counts.y >= counts.z ? 1 : 2)
            counts[d] = max(1, counts[d] / 2)
        }
        var reach = SIMD3<Int>(0, 0, 0)
        for d in 0..<3 {
            let binWidth = span[d] / Double(counts[d]) * width[d]
            let r = (cutoff / binWidth).rounded(.up)
            reach[d] = r.isFinite ? max(1, Int(min(r, 1e6))) : 1
            if !periodic[d] { reach[d] = min(reach[d], counts[d] - 1) }
        }

        var binOfAtom = [SIMD3<Int>](repeating: .zero, count: n)
        var binStart = [Int](repeating: 0, count: counts.x * counts.y * counts.z + 1)
        for i in 0..<n {
            var b = SIMD3<Int>.zero
            for d in 0..<3 {
                let t = (fractional[i][d] - lower[d]) / span[d] * Double(counts[d])
                b[d] = t.isFinite ? min(counts[d] - 1, max(0, Int(t))) : 0
            }
            binOfAtom[i] = b
            binStart[(b.z * counts.y + b.y) * counts.x + b.x + 1] += 1
        }
        for k in 0..<(binStart.count - 1) { binStart[k + 1] += binStart[k] }
        var fill = binStart
        var binAtoms = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let b = binOfAtom[i]
            let flat = (b.z * counts.y + b.y) * counts.x + b.x
            binAtoms[fill[flat]] = i
            fill[flat] += 1
        }

        self.matrix = matrix
        self.periodic = periodic
        self.wrapped = fractional.map { matrix.leftMultiply($0) }
        self.wraps = wraps
        self.binCounts = counts
        self.reach = reach
        self.binOfAtom = binOfAtom
        self.binStart = binStart
        self.binAtoms = binAtoms
    }
}
