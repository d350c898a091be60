/// A LAMMPS simulation box: origin `lo`, edge lengths `hi − lo` and tilts
/// `xy xz yz`. LAMMPS only accepts "restricted" triclinic cells: a along x,
/// b in the xy plane, c with positive z.
public struct LAMMPSBox: Equatable, Sendable {
    public var lo: SIMD3<Double>
    public var hi: SIMD3<Double>
    /// Tilt factors xy, xz, yz (zero for an orthogonal box).
    public var tilt: SIMD3<Double>

    public init(lo: SIMD3<Double>, hi: SIMD3<Double>, tilt: SIMD3<Double> = .zero) {
        self.lo = lo
        self.hi = hi
        self.tilt = tilt
    }

    /// The cell rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz).
    public var matrix: Matrix3 {
        let l = hi - lo
        return Matrix3(SIMD3(l.x, 0, 0), SIMD3(tilt.x, l.y, 0), SIMD3(tilt.y, tilt.z, l.z))
    }

    public var isTriclinic: Bool { tilt != .zero }

    /// The restricted triclinic form of any right-handed cell, and the rotation
    /// taking Cartesian vectors of the old cell to the new one: r' = R·r,
    /// written here as `rotate(r)`. Nil for a left-handed or degenerate cell,
    /// which no rotation can bring into LAMMPS's form.
    public static func restricted(from cell: Matrix3) -> (box: LAMMPSBox, rotate: @Sendable (SIMD3<Double>) -> SIMD3<Double>)? {
        let a = cell.rows.0, b = cell.rows.1, c = cell.rows.2
        guard cell.determinant > 0, let inverse = cell.inverse else { return nil }
        // An already restricted cell keeps its numbers exactly, positions untouched.
        if a.y == 0, a.z == 0, b.z == 0, a.x > 0, b.y > 0, c.z > 0 {
            return (LAMMPSBox(lo: .zero, hi: SIMD3(a.x, b.y, c.z), tilt: SIMD3(b.x, c.x, c.y)), { $0 })
        }
        let ax = norm(a)
        let ahat = a / ax
        let bx = dot(b, ahat)
        let by = norm(cross(ahat, b))
        let cx = dot(c, ahat)
        let cy = (dot(b, c) - bx * cx) / by
        let cz2 = dot(c, c) - cx * cx - cy * cy
        guard by > 0, cz2 > 0 else { return nil }
        let cz = cz2.squareRoot()
        let box = LAMMPSBox(lo: .zero, hi: SIMD3(ax, by, cz), tilt: SIMD3(bx, cx, cy))
        let target = box.matrix
        // Same fractional coordinates in the new cell: r' = (r · A⁻¹) · A'.
        let rotate: @Sendable (SIMD3<Double>) -> SIMD3<Double> = { r in
            target.leftMultiply(inverse.leftMultiply(r))
        }
        return (box, rotate)
    }
}
