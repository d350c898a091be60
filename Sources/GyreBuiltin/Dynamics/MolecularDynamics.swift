import Foundation
import GyreCore

/// Molecular dynamics driven by any `Potential`: velocity Verlet (NVE), Langevin
/// thermostat in the BAOAB splitting (NVT), plus a Berendsen barostat on the full
/// cell (NPT). Every `sampleEvery` steps a hook sees the state and may stop the run;
/// the CLI plugs the ensemble model deviation in there.
public struct MolecularDynamics: Sendable {
    public let potential: any Potential
    public let settings: MDSettings
    /// Masses per atom, amu.
    public let masses: [Double]
    let species: [Int]
    let symbols: [String]

    public private(set) var step = 0
    public private(set) var positions: [SIMD3<Double>]
    public private(set) var velocities: [SIMD3<Double>]
    public private(set) var cell: Cell?
    public private(set) var result: PotentialResult
    var neighbors: VerletNeighbors
    var thermostatNoise: SeededGenerator

    /// Prepares a run from `frame`. Masses come from the periodic table unless given per element.
    /// Throws for unknown elements, a non-periodic cell under NPT, or invalid settings.
    public init(
        potential: any Potential, frame: Frame, settings: MDSettings,
        masses massTable: [String: Double] = [:], velocities: [SIMD3<Double>]? = nil
    ) throws {
        guard settings.timestep > 0, settings.timestep.isFinite else {
            throw GyreError(.invalidInput, "MD timestep must be positive, got \(settings.timestep) ps")
        }
        guard settings.steps >= 0, settings.sampleEvery >= 1 else {
            throw GyreError(.invalidInput, "MD needs steps ≥ 0 and sample_every ≥ 1")
        }
        guard settings.temperature >= 0, settings.thermostatDamping > 0, settings.barostatDamping > 0, settings.skin >= 0 else {
            throw GyreError(.invalidInput, "MD needs temperature ≥ 0, positive damping times and skin ≥ 0")
        }
        if settings.ensemble == .npt {
            guard let cell = frame.cell, cell.pbc == .all, cell.matrix.inverse != nil else {
                throw GyreError(.invalidInput, "NPT needs a cell periodic in all three directions")
            }
        }
        self.potential = potential
        self.settings = settings
        self.symbols = frame.species
        self.species = try potential.speciesIndices(frame.species)
        self.masses = try frame.species.map { symbol in
            if let m = massTable[symbol] { return m }
            guard let element = Element.named(symbol) else {
                throw GyreError(.invalidInput, "no mass for \(symbol): not an element; give masses explicitly")
            }
            return element.mass
        }
        self.positions = frame.positions
        self.cell = frame.cell
        var velocityStream = SeededGenerator(seed: settings.seed, stream: ["md"] + settings.stream + ["velocities"])
        self.thermostatNoise = SeededGenerator(seed: settings.seed, stream: ["md"] + settings.stream + ["thermostat"])
        if let velocities {
            guard velocities.count == frame.count else {
                throw GyreError(.invalidInput, "\(velocities.count) velocities for \(frame.count) atoms")
            }
            self.velocities = velocities
        } else if settings.initializeVelocities {
            self.velocities = MaxwellBoltzmann.velocities(masses: masses, temperature: settings.temperature, generator: &velocityStream)
        } else {
            self.velocities = Array(repeating: .zero, count: frame.count)
        }
        self.neighbors = VerletNeighbors(positions: positions, cell: cell, cutoff: potential.cutoff, skin: settings.skin)
        self.result = potential.evaluate(species: species, positions: positions, cell: cell, neighbors: neighbors.list)
    }

    /// Runs the remaining steps without sampling (only the minimum-distance check at samples).
    public mutating func run() -> MDOutcome {
        run { _ in .proceed }
    }

    /// Runs the remaining steps. `hook` is called at step 0 and every `sampleEvery` steps.
    public mutating func run(hook: (MDSample) throws -> MDHookAction) rethrows -> MDOutcome {
        if step == 0, let reason = try sample(hook) {
            return MDOutcome(reason: reason, steps: step, final: snapshot(), neighborRebuilds: neighbors.rebuilds)
        }
        while step < settings.steps {
            advance()
            step += 1
            guard result.energy.isFinite, positions.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
                return MDOutcome(reason: .nonFinite, steps: step, final: snapshot(), neighborRebuilds: neighbors.rebuilds)
            }
            if step % settings.sampleEvery == 0, let reason = try sample(hook) {
                return MDOutcome(reason: reason, steps: step, final: snapshot(), neighborRebuilds: neighbors.rebuilds)
            }
        }
        return MDOutcome(reason: .completed, steps: step, final: snapshot(), neighborRebuilds: neighbors.rebuilds)
    }

    /// Checks the minimum distance and asks the hook; a non-nil reason stops the run.
    private func sample(_ hook: (MDSample) throws -> MDHookAction) rethrows -> MDStopReason? {
        let s = snapshot()
        if let limit = settings.minDistance, let (i, j, d) = closestPair(), d < limit {
            return .atomsTooClose(i: i, j: j, distance: d)
        }
        if case let .stop(reason) = try hook(s) { return .stoppedByHook(reason) }
        return nil
    }

    /// One step: B A O A (barostat) force B; for NVE the O part is skipped (plain velocity Verlet).
    mutating func advance() {
        let dt = settings.timestep
        let n = positions.count
        kick(dt / 2)
        if settings.ensemble == .nve {
            for i in 0..<n { positions[i] += dt * velocities[i] }
        } else {
            for i in 0..<n { positions[i] += (dt / 2) * velocities[i] }
            thermalize(dt)
            for i in 0..<n { positions[i] += (dt / 2) * velocities[i] }
        }
        if settings.ensemble == .npt { rescaleCell(dt) }
        let list = neighbors.update(positions: positions, cell: cell)
        result = potential.evaluate(species: species, positions: positions, cell: cell, neighbors: list)
        kick(dt / 2)
    }

    /// v += dt · F / m.
    private mutating func kick(_ dt: Double) {
        let forces = result.forces
        for i in velocities.indices {
            velocities[i] += (dt / (masses[i] * Units.amuAngstrom2PerPs2InEV)) * forces[i]
        }
    }

    /// Exact Ornstein–Uhlenbeck update of the velocities over dt (the O of BAOAB).
    private mutating func thermalize(_ dt: Double) {
        let c1 = exp(-dt / settings.thermostatDamping)
        let kT = Units.boltzmann * settings.temperature
        let spread = (1 - c1 * c1).squareRoot()
        for i in velocities.indices {
            let sigma = spread * (kT / (masses[i] * Units.amuAngstrom2PerPs2InEV)).squareRoot()
            let xi = SIMD3(thermostatNoise.nextGaussian(), thermostatNoise.nextGaussian(), thermostatNoise.nextGaussian())
            velocities[i] = c1 * velocities[i] + sigma * xi
        }
    }

    /// Berendsen: scale cell and positions by μ = I − β dt/(3 τ_P) (P0 I − P), with the
    /// pressure tensor from the current velocities and the last virial. Each component
    /// of μ − I is capped at 1 % per step so a badly strained start cannot explode.
    private mutating func rescaleCell(_ dt: Double) {
        guard let current = cell else { return }
        let p = Thermo.pressureTensor(velocities: velocities, masses: masses, virial: result.virial, volume: current.volume)
        let factor = settings.compressibility * dt / (3 * settings.barostatDamping)
        var mu = Matrix3.identity
        for a in 0..<3 {
            for b in 0..<3 {
                let target = a == b ? settings.pressure : 0
                mu[a][b] += min(0.01, max(-0.01, -factor * (target - p[a][b])))
            }
        }
        for i in positions.indices { positions[i] = mu.leftMultiply(positions[i]) }
        cell = Cell(current.matrix * mu, pbc: current.pbc)
    }

    /// The closest pair within the neighbour-list range, or nil when no pair is that close.
    func closestPair() -> (Int, Int, Double)? {
        let list = neighbors.list
        var best: (Int, Int)?
        var best2 = Double.infinity
        for i in 0..<list.count {
            let xi = positions[i]
            for k in list.range(of: i) {
                let j = list.neighbors[k]
                let xj = positions[j], s = list.shifts[k]
                let dx = xj.x + s.x - xi.x, dy = xj.y + s.y - xi.y, dz = xj.z + s.z - xi.z
                let d2 = dx * dx + dy * dy + dz * dz
                if d2 < best2 {
                    best2 = d2
                    best = (i, j)
                }
            }
        }
        return best.map { ($0.0, $0.1, best2.squareRoot()) }
    }

    /// The current state as a sample (frame with energy, forces, virial; thermodynamics).
    public func snapshot() -> MDSample {
        let kinetic = Thermo.kineticEnergy(velocities, masses: masses)
        var pressure: Double?
        if let cell, cell.pbc == .all, cell.volume != 0 {
            pressure = Thermo.pressureTensor(velocities: velocities, masses: masses, virial: result.virial, volume: cell.volume).trace / 3
        }
        let frame = Frame(species: symbols, positions: positions, cell: cell,
                          energy: result.energy, forces: result.forces, virial: result.virial)
        return MDSample(
            step: step, time: Double(step) * settings.timestep, frame: frame, velocities: velocities,
            kineticEnergy: kinetic,
            temperature: Thermo.temperature(kineticEnergy: kinetic, atoms: positions.count,
                                            momentumConserved: settings.ensemble == .nve),
            pressure: pressure, minDistance: closestPair()?.2)
    }
}
