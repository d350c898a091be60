import GyreCore

/// The state of an MD run at a sampled step, handed to the sampling hook.
public struct MDSample: Sendable {
    public var step: Int
    /// Simulated time, ps.
    public var time: Double
    /// Positions (unwrapped), cell, and the potential's energy, forces and virial.
    public var frame: Frame
    /// Velocities, Å/ps.
    public var velocities: [SIMD3<Double>]
    /// Kinetic energy, eV.
    public var kineticEnergy: Double
    /// Instantaneous temperature, K: 3N − 3 degrees of freedom in NVE, 3N under the Langevin thermostat.
    public var temperature: Double
    /// Instantaneous pressure (kinetic + virial), bar; nil without a periodic cell.
    public var pressure: Double?
    /// Closest distance between two atoms, Å (within the neighbour-list range).
    public var minDistance: Double?
}

/// What the sampling hook tells the run to do.
public enum MDHookAction: Sendable, Equatable {
    case proceed
    /// Stop now; the reason is recorded (e.g. "model deviation 2.3 eV/Å above 1.0").
    case stop(reason: String)
}

/// Why an MD run ended.
public enum MDStopReason: Sendable, Equatable, CustomStringConvertible {
    /// All requested steps were run.
    case completed
    /// Two atoms came closer than `MDSettings.minDistance`.
    case atomsTooClose(i: Int, j: Int, distance: Double)
    /// The energy, a force or a position became NaN or infinite.
    case nonFinite
    /// The sampling hook asked to stop.
    case stoppedByHook(String)

    /// A stable keyword for machine-readable records ("completed", "min-distance", …).
    public var code: String {
        switch self {
        case .completed: "completed"
        case .atomsTooClose: "min-distance"
        case .nonFinite: "non-finite"
        case .stoppedByHook: "hook"
        }
    }

    public var description: String {
        switch self {
        case .completed: "all steps completed"
        case let .atomsTooClose(i, j, d): "atoms \(i) and \(j) are \(d) Å apart, below the minimum distance"
        case .nonFinite: "energy, forces or positions became non-finite"
        case let .stoppedByHook(reason): reason
        }
    }
}

/// The result of an MD run: why and when it stopped, and its last state.
public struct MDOutcome: Sendable {
    public var reason: MDStopReason
    /// Steps completed.
    public var steps: Int
    public var final: MDSample
    /// How many times the neighbour list was rebuilt (skin reuse saves the rest).
    public var neighborRebuilds: Int
}
