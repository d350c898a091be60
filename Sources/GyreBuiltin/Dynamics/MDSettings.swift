/// Thermodynamic ensemble of an MD run.
public enum MDEnsemble: String, Sendable, CaseIterable {
    /// Velocity Verlet, constant energy.
    case nve
    /// Langevin thermostat (BAOAB splitting), constant temperature.
    case nvt
    /// Langevin thermostat plus a Berendsen barostat on the full cell.
    case npt
}

/// How to run molecular dynamics. Units: ps, K, bar, Å (LAMMPS metal units).
public struct MDSettings: Sendable {
    public var ensemble: MDEnsemble
    /// Integration time step, ps.
    public var timestep: Double
    /// Number of steps to run.
    public var steps: Int
    /// Target temperature (thermostat) and temperature of the initial velocities, K.
    public var temperature: Double
    /// Target pressure for NPT, bar.
    public var pressure: Double
    /// Steps between calls of the sampling hook (step 0 included).
    public var sampleEvery: Int
    /// Seeds the initial velocities and the thermostat noise.
    public var seed: UInt64
    /// Identity of this run within the seed (e.g. ["explore", iteration, task]).
    public var stream: [String]
    /// Stop when two atoms come closer than this, Å (checked at every sample); nil: never.
    public var minDistance: Double?
    /// Langevin friction time 1/γ, ps.
    public var thermostatDamping: Double
    /// Berendsen relaxation time τ_P, ps.
    public var barostatDamping: Double
    /// Berendsen compressibility β, 1/bar. The default suits metals and covalent
    /// solids (bulk moduli ~100 GPa); a value too large makes the cell oscillate.
    public var compressibility: Double
    /// Verlet skin added to the potential's cutoff for neighbour-list reuse, Å.
    public var skin: Double
    /// Draw Maxwell–Boltzmann velocities at `temperature`; false keeps the given ones (or zero).
    public var initializeVelocities: Bool

    public init(
        ensemble: MDEnsemble = .nvt, timestep: Double = 0.001, steps: Int = 1000, temperature: Double = 300,
        pressure: Double = 1, sampleEvery: Int = 10, seed: UInt64 = 0, stream: [String] = [],
        minDistance: Double? = nil, thermostatDamping: Double = 0.1, barostatDamping: Double = 1.0,
        compressibility: Double = 1e-6, skin: Double = 1.0, initializeVelocities: Bool = true
    ) {
        self.ensemble = ensemble
        self.timestep = timestep
        self.steps = steps
        self.temperature = temperature
        self.pressure = pressure
        self.sampleEvery = sampleEvery
        self.seed = seed
        self.stream = stream
        self.minDistance = minDistance
        self.thermostatDamping = thermostatDamping
        self.barostatDamping = barostatDamping
        self.compressibility = compressibility
        self.skin = skin
        self.initializeVelocities = initializeVelocities
    }
}
