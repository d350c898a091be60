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
    /// `explore.relative`: force deviations are written relative,
    /// ε_F,i / (|⟨F_i⟩| + level), with this level in eV/Å (pair_style deepmd `relative`).
    public var relative: Double? = nil
    /// `explore.relative_v`: the same for the virial deviations (pair_style deepmd `relative_v`).
    public var relativeVirial: Double? = nil
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
    /// Template placeholders swept as a grid (LAMMPS only), in the order written.
    public var variables: [StageVariable] = []

    /// One MD task per system × temperature × pressure × variable grid, in
    /// this order (the last variable varies fastest).
    public var conditions: [ExplorationCondition] {
        let ps: [Double?] = ensemble == .npt ? pressures.map { $0 } : [nil]
        var grid: [[VariableSetting]] = [[]]
        for variable in variables {
            grid = grid.flatMap { prefix in variable.values.map { prefix + [VariableSetting(name: variable.name, value: $0)] } }
        }
        var out: [ExplorationCondition] = []
        for s in systems {
            for t in temperatures {
                for p in ps {
                    for settings in grid {
                        out.append(ExplorationCondition(system: s, temperature: t, pressure: p, variables: settings))
                    }
                }
            }
        }
        return out
    }
}

/// A placeholder of the user's MD template that a stage sweeps, e.g. a PLUMED bias height.
public struct StageVariable: Sendable, Hashable {
    public var name: String
    public var values: [Double]
}

/// One value of a ``StageVariable`` in one exploration task.
public struct VariableSetting: Sendable, Hashable {
    public var name: String
    public var value: Double
}

public struct ExplorationCondition: Sendable, Hashable {
    public var system: String
    public var temperature: Double
    public var pressure: Double?
    /// The swept template variables, in the stage's order.
    public var variables: [VariableSetting] = []
}

/// When a stage is done.
public struct Convergence: Sendable {
    /// The fraction of sampled frames that must be accurate.
    public var accurate: Double?
    /// With an adaptive window: converged when lo moves by less than this between iterations (eV/Å).
    public var loStable: Double?
}
