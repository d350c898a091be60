/// What a built-in MD task's `md.done` records: why and when the run stopped,
/// and what it left beside it, so a resume can tell these outputs from another
/// run's in the same directory.
public struct MDDoneRecord: Codable, Sendable, Equatable {
    public var reason: String
    public var message: String
    public var steps: Int
    public var requestedSteps: Int
    /// Rows of model_devi.out and frames of traj.extxyz.
    public var sampledFrames: Int
    /// The size traj.extxyz has when this run is done: a trajectory of another
    /// size beside this record was (re)written by another run in the directory.
    /// nil in the md.done of a gyre from before the field.
    public var trajectoryBytes: Int?
    public var models: Int
    public var neighborRebuilds: Int
    public var finalTemperature: Double
    public var finalPressure: Double?
    public var elapsedSeconds: Double

    public init(reason: String, message: String, steps: Int, requestedSteps: Int, sampledFrames: Int, trajectoryBytes: Int?,
                models: Int, neighborRebuilds: Int, finalTemperature: Double, finalPressure: Double?, elapsedSeconds: Double) {
        self.reason = reason
        self.message = message
        self.steps = steps
        self.requestedSteps = requestedSteps
        self.sampledFrames = sampledFrames
        self.trajectoryBytes = trajectoryBytes
        self.models = models
        self.neighborRebuilds = neighborRebuilds
        self.finalTemperature = finalTemperature
        self.finalPressure = finalPressure
        self.elapsedSeconds = elapsedSeconds
    }

    enum CodingKeys: String, CodingKey {
        case reason, message, steps, models
        case requestedSteps = "requested_steps"
        case sampledFrames = "sampled_frames"
        case trajectoryBytes = "trajectory_bytes"
        case neighborRebuilds = "neighbor_rebuilds"
        case finalTemperature = "final_temperature"
        case finalPressure = "final_pressure"
        case elapsedSeconds = "elapsed_seconds"
    }
}
