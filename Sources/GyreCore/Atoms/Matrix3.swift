/// A 3×3 matrix stored by rows: a cell (rows are the lattice vectors a, b, c)
/// or a virial / stress tensor (eV).
public struct Matrix3: Hashable, Sendable {
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    public init(_ r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) {
        rows = (r0, r1, r2)
    }

    /// Row-major, nine numbers: the order of deepmd/npy `box`/`virial` and extxyz `Lattice=`.
    public init?(rowMajor v: [Double]) {
        guard v.count == 9 else { return nil }
        rows = (SIMD3(v[0], v[1], v[2]), SIMD3(v[3], v[4], v[5]), SIMD3(v[6], v[7], v[8]))
    }

    public static let zero = Matrix3(.zero, .zero, .zero)
    public static let identity = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    public static func diagonal(_ x: Double, _ y: Double, _ z: Double) -> Matrix3 {
        Matrix3(SIMD3(x, 0, 0), SIMD3(0, y, 0), SIMD3(0, 0, z))
    }

    public var rowMajor: [Double] {
        [rows.0.x, rows.0.y, rows.0.z, rows.1.x, rows.1.y, rows.1.z, rows.2.x, rows.2.y, rows.2.z]
    }

    public subscript(row: Int) -> SIMD3<Double> {
        get {
            switch row {
            case 0: rows.0
            case 1: rows.1
            default: rows.2
            }
        }
        set {
            switch row {
            case 0: rows.0 = newValue
            case 1: rows.1 = newValue
            default: rows.2 = newValue
            }
        }
    }

    public var transposed: Matrix3 {
        Matrix3(
            SIMD3(rows.0.x, rows.1.x, rows.2.x),
            SIMD3(rows.0.y, rows.1.y, rows.2.y),
            SIMD3(rows.0.z, rows.1.z, rows.2.z))
    }

    public var determinant: Double {
        dot(rows.0, cross(rows.1, rows.2))
    }

    /// The inverse, or nil when the matrix is singular (|det| below 1e-300).
    public var inverse: Matrix3? {
        let det = determinant
        guard abs(det) > 1e-300, det.isFinite else { return nil }
        // Columns of the inverse are the cross products of rows divided by det.
        let c0 = cross(rows.1, rows.2) / det
        let c1 = cross(rows.2, rows.0) / det
        let c2 = cross(rows.0, rows.1) / det
        return Matrix3(c0, c1, c2).transposed
    }

    /// Row vector times matrix: `v · M` = Σ_i v_i · row_i. Fractional → Cartesian for a cell.
    public func leftMultiply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        v.x * rows.0 + v.y * rows.1 + v.z * rows.2
    }

    /// Matrix times column vector: `M · v`.
    public func multiply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(dot(rows.0, v), dot(rows.1, v), dot(rows.2, v))
    }

    public static func * (lhs: Matrix3, rhs: Matrix3) -> Matrix3 {
        Matrix3(rhs.leftMultiply(lhs.rows.0), rhs.leftMultiply(lhs.rows.1), rhs.leftMultiply(lhs.rows.2))
    }

    public static func + (lhs: Matrix3, rhs: Matrix3) -> Matrix3 {
        Matrix3(lhs.rows.0 + rhs.rows.0, lhs.rows.1 + rhs.rows.1, lhs.rows.2 + rhs.rows.2)
    }

    public static func - (lhs: Matrix3, rhs: Matrix3) -> Matrix3 {
        Matrix3(lhs.rows.0 - rhs.rows.0, lhs.rows.1 - rhs.rows.1, lhs.rows.2 - rhs.rows.2)
    }

    public static func * (lhs: Double, rhs: Matrix3) -> Matrix3 {
        Matrix3(lhs * rhs.rows.0, lhs * rhs.rows.1, lhs * rhs.rows.2)
    }

    public var trace: Double { rows.0.x + rows.1.y + rows.2.z }

    public var isFinite: Bool { rowMajor.allSatisfy(\.isFinite) }

    public static func == (lhs: Matrix3, rhs: Matrix3) -> Bool {
        lhs.rows.0 == rhs.rows.0 && lhs.rows.1 == rhs.rows.1 && lhs.rows.2 == rhs.rows.2
    }

    public func hash(into hasher: inout Hasher) {
        for x in rowMajor { hasher.combine(x) }
    }
}

@inlinable public func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    (a * b).sum()
}

@inlinable public func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

@inlinable public func norm(_ a: SIMD3<Double>) -> Double {
    dot(a, a).squareRoot()
}
