import Foundation

public struct ExploreSettings: Sendable {
    public enum Engine: Sendable {
        case builtin
        case lammps(LAMMPSExploration)
    }

    public var engine: Engine
    public var stages: [Stage]
    /// Stop a trajectory when two atoms come closer than this, Å.
    public var minDistance: Double
    /// Stop a trajectory when the max force deviation exceeds this (it has blown up), eV/Å.
    public var maxDeviation: Double
    public var step: StepSettings
}

public struct LAMMPSExploration: Sendable {
    public var template: URL
    public var command: String
}

/// One stage of exploration: conditions explored iteration after iteration
/// until the ensemble is accurate on them.
public struct Stage: Sendable {
    public enum Ensemble: String, Sendable, CaseIterable {
        case nve, nvt, npt
    }

    public var name: String
    public var systems: [String]
    public var ensemble: Ensemble
    /// K
    public var temperatures: [Double]
    /// bar; used by npt only (one entry, ignored, otherwise).
    public var pressures: [Double]
    public var steps: Int
    /// ps
    public var timestep: Double
    public var sampleEvery: Int
    public var maxIterations: Int
    public var convergedWhen: Convergence
    /// Trust window for this stage only; nil: `select.trust`.
    public var trust: TrustSettings?

    /// One MD task per system × temperature × pressure, in this order.
    public var conditions: [ExplorationCondition] {
        let ps: [Double?] = ensemble == .npt ? pressures.map { $0 } : [nil]
        var out: [ExplorationCondition] = []
        for s in systems {
            for t in temperatures {
                for p in ps { out.append(ExplorationCondition(system: s, temperature: t, pressure: p)) }
            }
        }
        return out
    }
}

public struct ExplorationCondition: Sendable, Hashable {
    public var system: String
    public var temperature: Double
    public var pressure: Double?
}

/// When a stage is done.
public struct Convergence: Sendable {
    /// The fraction of sampled frames that must be accurate.
    public var accurate: Double?
    /// With an adaptive window: converged when lo moves by less than this between iterations (eV/Å).
    public var loStable: Double?
}
