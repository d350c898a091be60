import Foundation
import GyreCore

/// Effective medium theory (Jacobsen, Stoltze, Nørskov, Surf. Sci. 366, 394 (1996))
/// computed exactly as ASE's `ase.calculators.emt.EMT` (default `asap_cutoff=False`):
/// the same logistic cutoff fixed from the largest s0 of the whole parameter table,
/// the same neighbour radius rc + 0.5 Å, and energies relative to E0 (ASAP's
/// convention), so energies, forces and stress agree with ASE to rounding.
public struct EMT: Potential {
    /// Bohr in Å as ASE's `ase.units` defines it (CODATA 2014): matching ASE to
    /// 1e-6 eV needs ASE's value, not `Units.bohr` (CODATA 2018).
    static let aseBohr = 0.5291772105638411
    /// β = (16π/3)^(1/3)/√2 with ASE's historical rounding.
    static let beta = 1.809

    public let elements: [String]
    public let cutoff: Double
    /// Midpoint and steepness of the logistic cutoff w(r) = 1/(1 + exp(a(r − rc))).
    let rc: Double
    let acut: Double
    let species: [Species]
    /// chi[i][j] = n0_j / n0_i, flattened.
    let chi: [Double]

    struct Species {
        var e0, s0, v0, eta2, kappa, lambda, n0: Double
        var inv12Gamma1, negHalfV0OverGamma2: Double
    }

    /// EMT for the given parameter set (default: ASE's standard table, all 11 elements).
    public init(parameters: [EMTParameters] = EMTParameters.standard) {
        let bohr = Self.aseBohr
        let beta = Self.beta
        // ASE takes the cutoff from the largest atom of its whole table, not of the system.
        let maxS0 = (EMTParameters.standard + parameters).map(\.s0).max() ?? 3.0
        let r1nn = beta * maxS0 * bohr
        let rc = r1nn * 0.5 * (3.0.squareRoot() + 2.0)
        let acut = log(1.0 / 1e-4 - 1.0) / (2.0 * r1nn - rc)
        self.rc = rc
        self.acut = acut
        self.cutoff = rc + 0.5
        self.elements = parameters.map(\.symbol)
        self.species = parameters.map { p in
            let s0 = p.s0 * bohr
            let eta2 = p.eta2 / bohr
            let kappa = p.kappa / bohr
            var gamma1 = 0.0
            var gamma2 = 0.0
            // Shells of the fcc reference: 12, 6, 24 neighbours at β s0 √1, √2, √3.
            for (count, factor) in [(12.0, 1.0), (6.0, 2.0), (24.0, 3.0)] {
                let r = beta * s0 * factor.squareRoot()
                let w = 1.0 / (1.0 + exp(acut * (r - rc)))
                let x = count * w / 12.0
                gamma1 += x * exp(-eta2 * (r - beta * s0))
                gamma2 += x * exp(-kappa / beta * (r - beta * s0))
            }
            return Species(
                e0: p.e0, s0: s0, v0: p.v0, eta2: eta2, kappa: kappa, lambda: p.lambda / bohr,
                n0: p.n0 / (bohr * bohr * bohr),
                inv12Gamma1: 1.0 / (12.0 * gamma1), negHalfV0OverGamma2: -0.5 * p.v0 / gamma2)
        }
        let ns = species.count
        var chi = [Double](repeating: 1, count: ns * ns)
        for a in 0..<ns {
            for b in 0..<ns { chi[a * ns + b] = species[b].n0 / species[a].n0 }
        }
        self.chi = chi
    }

    public func evaluate(species types: [Int], positions: [SIMD3<Double>], cell: Cell?, neighbors: NeighborList) -> PotentialResult {
        let n = positions.count
        let entries = neighbors.neighbors.count
        let work = ChunkedWork(count: n)
        let beta = Self.beta
        let ns = species.count
        let cut2 = cutoff * cutoff

        // Plain local arrays per parameter: in debug builds copying a Species struct per
        // neighbour costs more than the physics.
        let list = neighbors.neighbors
        let shifts = neighbors.shifts
        let eta2 = species.map(\.eta2), s0 = species.map(\.s0), kappa = species.map(\.kappa)
        let negHalf = species.map(\.negHalfV0OverGamma2)
        let chi = self.chi, acut = self.acut, rc = self.rc

        var energies = [Double](repeating: 0, count: n)
        var dEdSigma = [Double](repeating: 0, count: n)
        // Per entry: d sigma1_i/dr · (1/r), d sigma1_j/dr · (1/r) (from i), d E_AS/dr · (1/r).
        var dSigmaSelf = [Double](repeating: 0, count: entries)
        var dSigmaOther = [Double](repeating: 0, count: entries)
        var dPair = [Double](repeating: 0, count: entries)
        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        var chunkVirials = [Matrix3](repeating: .zero, count: work.chunks)

        energies.withUnsafeMutableBufferPointer { energyOut in
        dEdSigma.withUnsafeMutableBufferPointer { dedsOut in
        dSigmaSelf.withUnsafeMutableBufferPointer { s1Out in
        dSigmaOther.withUnsafeMutableBufferPointer { s1oOut in
        dPair.withUnsafeMutableBufferPointer { pairOut in
            // Pass 1: density sigma1 and the pair part of the atomic-sphere energy of each atom.
            work.run { _, atoms in
                for i in atoms {
                    let si = types[i]
                    let pi = species[si]
                    let xi = positions[i]
                    var sigma1 = 0.0
                    var pairEnergy = 0.0
                    var hasNeighbors = false
                    let eta2I = eta2[si], s0I = s0[si], kappaI = kappa[si], negHalfI = negHalf[si]
                    for k in neighbors.range(of: i) {
                        let j = list[k]
                        let xj = positions[j], sk = shifts[k]
                        let dx = xj.x + sk.x - xi.x, dy = xj.y + sk.y - xi.y, dz = xj.z + sk.z - xi.z
                        let r2 = dx * dx + dy * dy + dz * dz
                        guard r2 < cut2 else { continue }
                        hasNeighbors = true
                        let r = r2.squareRoot()
                        let invR = 1.0 / r
                        let sj = types[j]
                        let eta2J = eta2[sj], s0J = s0[sj], kappaJ = kappa[sj]
                        let c = chi[si * ns + sj]
                        let w = 1.0 / (1.0 + exp(acut * (r - rc)))
                        let dwOverW = acut * (w - 1.0)
                        let s1s = exp(-eta2J * (r - beta * s0J)) * c * w
                        let s1o = exp(-eta2I * (r - beta * s0I)) / c * w
                        let es = negHalfI * exp(-kappaJ * (r / beta - s0J)) * c * w
                        let eo = negHalf[sj] * exp(-kappaI * (r / beta - s0I)) / c * w
                        sigma1 += s1s
                        pairEnergy += 0.5 * (es + eo)
                        s1Out[k] = s1s * (dwOverW - eta2J) * invR
                        s1oOut[k] = s1o * (dwOverW - eta2I) * invR
                        pairOut[k] = (es * (dwOverW - kappaJ / beta) + eo * (dwOverW - kappaI / beta)) * invR
                    }
                    // ASE skips atoms without neighbours: only −E0 remains (the isolated-atom limit).
                    guard hasNeighbors else {
                        energyOut[i] = -pi.e0
                        continue
                    }
                    let ds = -log(sigma1 * pi.inv12Gamma1) / (beta * pi.eta2)
                    let lds = pi.lambda * ds
                    let expLds = exp(-lds)
                    let sixV0 = 6.0 * pi.v0 * exp(-pi.kappa * ds)
                    energyOut[i] = pi.e0 * (1.0 + lds) * expLds + sixV0 + pairEnergy - pi.e0
                    let dEds = -pi.e0 * pi.lambda * lds * expLds - pi.kappa * sixV0
                    dedsOut[i] = dEds / (-beta * pi.eta2 * sigma1)
                }
            }
        }}}}}

        forces.withUnsafeMutableBufferPointer { forceOut in
        chunkVirials.withUnsafeMutableBufferPointer { virialOut in
            // Pass 2: forces gathered per atom (no scatter), virial per chunk.
            work.run { chunk, atoms in
                // Scalar accumulators: SIMD temporaries cost far more in unoptimised (debug) builds.
                var wxx = 0.0, wxy = 0.0, wxz = 0.0, wyy = 0.0, wyz = 0.0, wzz = 0.0
                for i in atoms {
                    let xi = positions[i]
                    let dedsI = dEdSigma[i]
                    var fx = 0.0, fy = 0.0, fz = 0.0
                    for k in neighbors.range(of: i) {
                        let j = list[k]
                        let xj = positions[j], sk = shifts[k]
                        let dx = xj.x + sk.x - xi.x, dy = xj.y + sk.y - xi.y, dz = xj.z + sk.z - xi.z
                        // dE/dr / r for the whole pair; zero for entries beyond the cutoff.
                        let g = dedsI * dSigmaSelf[k] + dEdSigma[j] * dSigmaOther[k] + dPair[k]
                        fx += g * dx
                        fy += g * dy
                        fz += g * dz
                        // W = −Σ_pairs dE/dr d⊗d/r; each pair appears twice in a full list.
                        let h = 0.5 * g
                        wxx -= h * dx * dx
                        wxy -= h * dx * dy
                        wxz -= h * dx * dz
                        wyy -= h * dy * dy
                        wyz -= h * dy * dz
                        wzz -= h * dz * dz
                    }
                    forceOut[i] = SIMD3(fx, fy, fz)
                }
                virialOut[chunk] = Matrix3(SIMD3(wxx, wxy, wxz), SIMD3(wxy, wyy, wyz), SIMD3(wxz, wyz, wzz))
            }
        }}

        var energy = 0.0
        for e in energies { energy += e }
        var virial = Matrix3.zero
        for w in chunkVirials { virial = virial + w }
        return PotentialResult(energy: energy, forces: forces, virial: virial, atomicEnergies: energies)
    }
}
