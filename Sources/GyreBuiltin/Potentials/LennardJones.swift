import GyreCore

/// Lennard-Jones 12-6 potential, φ(r) = 4ε((σ/r)¹² − (σ/r)⁶) for r < cutoff, with
/// per-element ε, σ combined by Lorentz–Berthelot mixing (σ_ij = (σ_i + σ_j)/2,
/// ε_ij = √(ε_i ε_j)) and optionally shifted so φ(cutoff) = 0.
public struct LennardJones: Potential {
    /// ε (eV) and σ (Å) of one element.
    public struct Species: Sendable, Hashable {
        public var element: String
        public var epsilon: Double
        public var sigma: Double
        public init(element: String, epsilon: Double, sigma: Double) {
            self.element = element
            self.epsilon = epsilon
            self.sigma = sigma
        }
    }

    public let elements: [String]
    public let cutoff: Double
    public let shifted: Bool
    /// Per species pair (flattened): 4εσ¹², 4εσ⁶ and the energy shift.
    let c12: [Double]
    let c6: [Double]
    let shift: [Double]

    public init(species: [Species], cutoff: Double, shifted: Bool = false) {
        self.elements = species.map(\.element)
        self.cutoff = cutoff
        self.shifted = shifted
        let ns = species.count
        var c12 = [Double](repeating: 0, count: ns * ns)
        var c6 = c12
        var shift = c12
        for a in 0..<ns {
            for b in 0..<ns {
                let sigma = 0.5 * (species[a].sigma + species[b].sigma)
                let epsilon = (species[a].epsilon * species[b].epsilon).squareRoot()
                let s6 = sigma * sigma * sigma * sigma * sigma * sigma
                c12[a * ns + b] = 4 * epsilon * s6 * s6
                c6[a * ns + b] = 4 * epsilon * s6
                let ir6 = 1 / (cutoff * cutoff * cutoff * cutoff * cutoff * cutoff)
                shift[a * ns + b] = shifted ? (c12[a * ns + b] * ir6 - c6[a * ns + b]) * ir6 : 0
            }
        }
        self.c12 = c12
        self.c6 = c6
        self.shift = shift
    }

    /// The same ε, σ for every element given.
    public init(elements: [String], epsilon: Double, sigma: Double, cutoff: Double, shifted: Bool = false) {
        self.init(species: elements.map { Species(element: $0, epsilon: epsilon, sigma: sigma) }, cutoff: cutoff, shifted: shifted)
    }

    public func evaluate(species types: [Int], positions: [SIMD3<Double>], cell: Cell?, neighbors: NeighborList) -> PotentialResult {
        let n = positions.count
        let work = ChunkedWork(count: n)
        let ns = elements.count
        let cut2 = cutoff * cutoff
        var energies = [Double](repeating: 0, count: n)
        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        var chunkVirials = [Matrix3](repeating: .zero, count: work.chunks)
        energies.withUnsafeMutableBufferPointer { energyOut in
        forces.withUnsafeMutableBufferPointer { forceOut in
        chunkVirials.withUnsafeMutableBufferPointer { virialOut in
            // A full list holds each pair twice: half the energy per entry, and the
            // force on i gathered from its own entries only.
            work.run { chunk, atoms in
                var w0 = SIMD3<Double>.zero, w1 = SIMD3<Double>.zero, w2 = SIMD3<Double>.zero
                for i in atoms {
                    let xi = positions[i]
                    let row = types[i] * ns
                    var e = 0.0
                    var f = SIMD3<Double>.zero
                    for k in neighbors.range(of: i) {
                        let j = neighbors.neighbors[k]
                        let d = positions[j] + neighbors.shifts[k] - xi
                        let r2 = d.x * d.x + d.y * d.y + d.z * d.z
                        guard r2 < cut2 else { continue }
                        let p = row + types[j]
                        let ir2 = 1 / r2
                        let ir6 = ir2 * ir2 * ir2
                        e += 0.5 * ((c12[p] * ir6 - c6[p]) * ir6 - shift[p])
                        // dφ/dr / r
                        let g = (-12 * c12[p] * ir6 + 6 * c6[p]) * ir6 * ir2
                        let fd = g * d
                        f += fd
                        w0 -= 0.5 * d.x * fd
                        w1 -= 0.5 * d.y * fd
                        w2 -= 0.5 * d.z * fd
                    }
                    energyOut[i] = e
                    forceOut[i] = f
                }
                virialOut[chunk] = Matrix3(w0, w1, w2)
            }
        }}}
        var energy = 0.0
        for e in energies { energy += e }
        var virial = Matrix3.zero
        for w in chunkVirials { virial = virial + w }
        return PotentialResult(energy: energy, forces: forces, virial: virial, atomicEnergies: energies)
    }
}
