import GyreCore

/// Initial velocities: Maxwell–Boltzmann at `temperature` from the seeded generator,
/// zero total momentum, then rescaled to exactly `temperature` over 3N − 3 degrees of
/// freedom (as LAMMPS `velocity create` does), so runs start reproducibly.
public enum MaxwellBoltzmann {
    /// Velocities in Å/ps for masses in amu.
    public static func velocities(masses: [Double], temperature: Double, generator: inout SeededGenerator) -> [SIMD3<Double>] {
        let kT = Units.boltzmann * max(0, temperature)
        var v = masses.map { m in
            (kT / (m * Units.amuAngstrom2PerPs2InEV)).squareRoot()
                * SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
        }
        removeMomentum(&v, masses: masses)
        let current = Thermo.temperature(kineticEnergy: Thermo.kineticEnergy(v, masses: masses), atoms: masses.count)
        if current > 0 {
            let scale = (max(0, temperature) / current).squareRoot()
            v = v.map { scale * $0 }
        }
        return v
    }

    /// Subtracts the centre-of-mass velocity.
    public static func removeMomentum(_ v: inout [SIMD3<Double>], masses: [Double]) {
        let total = masses.reduce(0, +)
        guard total > 0 else { return }
        var p = SIMD3<Double>.zero
        for i in v.indices { p += masses[i] * v[i] }
        let vcm = p / total
        for i in v.indices { v[i] -= vcm }
    }
}

/// Kinetic energy, temperature and pressure in Gyre's units.
public enum Thermo {
    /// ½ Σ m v², eV, for masses in amu and velocities in Å/ps.
    public static func kineticEnergy(_ v: [SIMD3<Double>], masses: [Double]) -> Double {
        var sum = 0.0
        for i in v.indices { sum += masses[i] * dot(v[i], v[i]) }
        return 0.5 * sum * Units.amuAngstrom2PerPs2InEV
    }

    /// Degrees of freedom: 3N − 3 when the total momentum is conserved at zero (NVE,
    /// initial velocities), 3N under a Langevin thermostat, whose noise moves the centre of mass too.
    public static func degreesOfFreedom(atoms: Int, momentumConserved: Bool = true) -> Int {
        momentumConserved && atoms > 1 ? 3 * atoms - 3 : 3 * atoms
    }

    /// Instantaneous temperature, K.
    public static func temperature(kineticEnergy: Double, atoms: Int, momentumConserved: Bool = true) -> Double {
        let dof = degreesOfFreedom(atoms: atoms, momentumConserved: momentumConserved)
        return dof > 0 ? 2 * kineticEnergy / (Double(dof) * Units.boltzmann) : 0
    }

    /// Pressure tensor (Σ m v⊗v + W) / V in bar, symmetrised.
    public static func pressureTensor(velocities v: [SIMD3<Double>], masses: [Double], virial: Matrix3, volume: Double) -> Matrix3 {
        var k0 = SIMD3<Double>.zero, k1 = SIMD3<Double>.zero, k2 = SIMD3<Double>.zero
        for i in v.indices {
            let mv = (masses[i] * Units.amuAngstrom2PerPs2InEV) * v[i]
            k0 += v[i].x * mv
            k1 += v[i].y * mv
            k2 += v[i].z * mv
        }
        let total = Matrix3(k0, k1, k2) + virial
        let symmetric = 0.5 * (total + total.transposed)
        return (Units.eVPerCubicAngstromInBar / abs(volume)) * symmetric
    }
}
