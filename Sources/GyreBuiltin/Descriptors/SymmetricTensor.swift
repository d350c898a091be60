/// A symmetric 3×3 tensor stored as its diagonal and its (xy, xz, yz) entries:
/// the l = 2 moment Σ g(r) r̂ r̂ᵀ of an environment.
struct SymmetricTensor: Sendable {
    var diagonal: SIMD3<Double>
    var offDiagonal: SIMD3<Double>

    static let zero = SymmetricTensor(diagonal: .zero, offDiagonal: .zero)

    /// u uᵀ scaled by `weight`.
    @inline(__always)
    static func outer(_ u: SIMD3<Double>, weight: Double) -> SymmetricTensor {
        SymmetricTensor(
            diagonal: weight * u * u,
            offDiagonal: weight * SIMD3(u.x * u.y, u.x * u.z, u.y * u.z))
    }

    /// Full double contraction A:B.
    @inline(__always)
    func contracted(with other: SymmetricTensor) -> Double {
        (diagonal * other.diagonal).sum() + 2 * (offDiagonal * other.offDiagonal).sum()
    }

    /// T v.
    @inline(__always)
    func applied(to v: SIMD3<Double>) -> SIMD3<Double> {
        let d = diagonal, o = offDiagonal
        return SIMD3(
            d.x * v.x + o.x * v.y + o.y * v.z,
            o.x * v.x + d.y * v.y + o.z * v.z,
            o.y * v.x + o.z * v.y + d.z * v.z)
    }

    @inline(__always)
    static func += (lhs: inout SymmetricTensor, rhs: SymmetricTensor) {
        lhs.diagonal += rhs.diagonal
        lhs.offDiagonal += rhs.offDiagonal
    }

    @inline(__always)
    static func * (lhs: Double, rhs: SymmetricTensor) -> SymmetricTensor {
        SymmetricTensor(diagonal: lhs * rhs.diagonal, offDiagonal: lhs * rhs.offDiagonal)
    }
}
