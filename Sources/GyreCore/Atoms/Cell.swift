/// A simulation cell: lattice vectors as the rows of `matrix` (Å) and which
/// directions are periodic. Any shape (triclinic) is allowed.
public struct Cell: Hashable, Sendable {
    public var matrix: Matrix3
    public var pbc: Periodicity

    public init(_ matrix: Matrix3, pbc: Periodicity = .all) {
        self.matrix = matrix
        self.pbc = pbc
    }

    public static func orthorhombic(_ x: Double, _ y: Double, _ z: Double) -> Cell {
        Cell(.diagonal(x, y, z))
    }

    public var a: SIMD3<Double> { matrix.rows.0 }
    public var b: SIMD3<Double> { matrix.rows.1 }
    public var c: SIMD3<Double> { matrix.rows.2 }

    /// Signed volume a · (b × c), Å³. A left-handed cell has a negative volume.
    public var volume: Double { matrix.determinant }

    public var lengths: SIMD3<Double> { SIMD3(norm(a), norm(b), norm(c)) }

    /// Reciprocal vectors b_i with a_i · b_j = δ_ij (no 2π), as rows; nil for a degenerate cell.
    public var reciprocal: Matrix3? { matrix.inverse?.transposed }

    /// Distances between opposite faces: how far apart the periodic images of a plane lie.
    public var perpendicularWidths: SIMD3<Double>? {
        guard let r = reciprocal else { return nil }
        return SIMD3(1 / norm(r.rows.0), 1 / norm(r.rows.1), 1 / norm(r.rows.2))
    }

    public func cartesian(fromFractional f: SIMD3<Double>) -> SIMD3<Double> {
        matrix.leftMultiply(f)
    }

    /// Fractional coordinates; nil for a degenerate cell.
    public func fractional(fromCartesian r: SIMD3<Double>) -> SIMD3<Double>? {
        guard let inv = matrix.inverse else { return nil }
        return inv.leftMultiply(r)
    }
}

/// Which of the three lattice directions are periodic (ASE's `pbc`).
public struct Periodicity: Hashable, Sendable {
    public var a: Bool
    public var b: Bool
    public var c: Bool

    public init(_ a: Bool, _ b: Bool, _ c: Bool) {
        self.a = a
        self.b = b
        self.c = c
    }

    public static let all = Periodicity(true, true, true)
    public static let none = Periodicity(false, false, false)

    public subscript(axis: Int) -> Bool {
        switch axis {
        case 0: a
        case 1: b
        default: c
        }
    }
}
