import Foundation
import GyreCore

/// Stillinger–Weber potential for a single element, in LAMMPS `pair_style sw` form:
/// E = Σ_{i<j} φ2(r_ij) + Σ_i Σ_{j<k} φ3(r_ij, r_ik, θ_jik) with
/// φ2 = A ε (B (σ/r)^p − (σ/r)^q) exp(σ/(r − aσ)) and
/// φ3 = λ ε (cos θ − cos θ0)² exp(γσ/(r_ij − aσ)) exp(γσ/(r_ik − aσ)).
public struct StillingerWeber: Potential {
    public struct Parameters: Sendable, Hashable {
        public var epsilon, sigma, a, lambda, gamma, cosTheta0, bigA, bigB, p, q: Double
        public init(epsilon: Double, sigma: Double, a: Double, lambda: Double, gamma: Double,
                    cosTheta0: Double, bigA: Double, bigB: Double, p: Double, q: Double) {
            self.epsilon = epsilon; self.sigma = sigma; self.a = a; self.lambda = lambda
            self.gamma = gamma; self.cosTheta0 = cosTheta0; self.bigA = bigA; self.bigB = bigB
            self.p = p; self.q = q
        }

        /// Silicon, Stillinger & Weber, Phys. Rev. B 31, 5262 (1985), exactly as in LAMMPS's Si.sw.
        public static let silicon = Parameters(
            epsilon: 2.1683, sigma: 2.0951, a: 1.80, lambda: 21.0, gamma: 1.20,
            cosTheta0: -0.333333333333, bigA: 7.049556277, bigB: 0.6022245584, p: 4.0, q: 0.0)
    }

    public let elements: [String]
    public let parameters: Parameters
    public var cutoff: Double { parameters.a * parameters.sigma }

    /// Exponents p and q when they are small integers: repeated products are several
    /// times faster than `pow` and exact (Si.sw has p = 4, q = 0).
    let integerP: Int?
    let integerQ: Int?

    public init(element: String = "Si", parameters: Parameters = .silicon) {
        self.elements = [element]
        self.parameters = parameters
        func integral(_ x: Double) -> Int? { x == x.rounded() && x >= 0 && x <= 32 ? Int(x) : nil }
        self.integerP = integral(parameters.p)
        self.integerQ = integral(parameters.q)
    }

    /// x^e, by multiplication when the exponent is a small integer.
    @inline(__always) static func power(_ x: Double, _ e: Double, _ integer: Int?) -> Double {
        guard let n = integer else { return pow(x, e) }
        var result = 1.0
        for _ in 0..<n { result *= x }
        return result
    }

    public func evaluate(species: [Int], positions: [SIMD3<Double>], cell: Cell?, neighbors: NeighborList) -> PotentialResult {
        let n = positions.count
        let work = ChunkedWork(count: n)
        let P = parameters
        let rcut = cutoff
        let cut2 = rcut * rcut
        var energies = [Double](repeating: 0, count: n)
        // Three-body forces scatter onto j and k: one force buffer per chunk, summed in chunk order.
        var chunkForces = [SIMD3<Double>](repeating: .zero, count: n * work.chunks)
        var chunkVirials = [Matrix3](repeating: .zero, count: work.chunks)

        energies.withUnsafeMutableBufferPointer { energyOut in
        chunkForces.withUnsafeMutableBufferPointer { forceOut in
        chunkVirials.withUnsafeMutableBufferPointer { virialOut in
            work.run { chunk, atoms in
                let base = chunk * n
                var w0 = SIMD3<Double>.zero, w1 = SIMD3<Double>.zero, w2 = SIMD3<Double>.zero
                // Reused per atom: the neighbours inside the cutoff with their geometry.
                var near: [(j: Int, d: SIMD3<Double>, r: Double, expG: Double, dExpG: Double)] = []
                for i in atoms {
                    let xi = positions[i]
                    var e = 0.0
                    var fi = SIMD3<Double>.zero
                    near.removeAll(keepingCapacity: true)
                    for k in neighbors.range(of: i) {
                        let j = neighbors.neighbors[k]
                        let d = positions[j] + neighbors.shifts[k] - xi
                        let r2 = d.x * d.x + d.y * d.y + d.z * d.z
                        guard r2 < cut2 else { continue }
                        let r = r2.squareRoot()
                        let invRc = 1.0 / (r - rcut)
                        // Two-body: half of φ2 per direction of the full list.
                        let sr = P.sigma / r
                        let srp = Self.power(sr, P.p, integerP)
                        let srq = Self.power(sr, P.q, integerQ)
                        let cutExp = exp(P.sigma * invRc)
                        let phi = P.bigA * P.epsilon * (P.bigB * srp - srq) * cutExp
                        let dphi = P.bigA * P.epsilon * cutExp
                            * ((-P.p * P.bigB * srp + P.q * srq) / r - (P.bigB * srp - srq) * P.sigma * invRc * invRc)
                        e += 0.5 * phi
                        let fPair = (dphi / r) * d  // dφ/dr · d/r: force on i from the pair
                        fi += fPair
                        w0 -= 0.5 * d.x * fPair
                        w1 -= 0.5 * d.y * fPair
                        w2 -= 0.5 * d.z * fPair
                        let expG = exp(P.gamma * P.sigma * invRc)
                        near.append((j, d, r, expG, -P.gamma * P.sigma * invRc * invRc * expG))
                    }
                    // Three-body terms centred on i, each unordered pair (j, k) once.
                    let lamEps = P.lambda * P.epsilon
                    let m = near.count
                    if m >= 2 {
                        for a in 0..<(m - 1) {
                            let na = near[a]
                            let invRa = 1.0 / na.r
                            for b in (a + 1)..<m {
                                let nb = near[b]
                                let invRb = 1.0 / nb.r
                                let cosT = (na.d.x * nb.d.x + na.d.y * nb.d.y + na.d.z * nb.d.z) * invRa * invRb
                                let delta = cosT - P.cosTheta0
                                let radial = na.expG * nb.expG
                                e += lamEps * delta * delta * radial
                                // Gradients with respect to the bond vectors d_a = r_j − r_i, d_b = r_k − r_i.
                                let dEdCos = 2.0 * lamEps * delta * radial
                                let dEdRa = lamEps * delta * delta * na.dExpG * nb.expG
                                let dEdRb = lamEps * delta * delta * na.expG * nb.dExpG
                                let gA = (dEdRa * invRa - dEdCos * cosT * invRa * invRa) * na.d + (dEdCos * invRa * invRb) * nb.d
                                let gB = (dEdRb * invRb - dEdCos * cosT * invRb * invRb) * nb.d + (dEdCos * invRa * invRb) * na.d
                                forceOut[base + na.j] -= gA
                                forceOut[base + nb.j] -= gB
                                fi += gA + gB
                                // W = Σ d ⊗ f over the two arms (forces −gA on j, −gB on k).
                                w0 -= na.d.x * gA + nb.d.x * gB
                                w1 -= na.d.y * gA + nb.d.y * gB
                                w2 -= na.d.z * gA + nb.d.z * gB
                            }
                        }
                    }
                    forceOut[base + i] += fi
                    energyOut[i] = e
                }
                virialOut[chunk] = Matrix3(w0, w1, w2)
            }
        }}}

        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        for c in 0..<work.chunks {
            for i in 0..<n { forces[i] += chunkForces[c * n + i] }
        }
        var energy = 0.0
        for e in energies { energy += e }
        var virial = Matrix3.zero
        for w in chunkVirials { virial = virial + w }
        return PotentialResult(energy: energy, forces: forces, virial: virial, atomicEnergies: energies)
    }
}
