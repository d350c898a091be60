import Foundation

public struct TrainSettings: Sendable {
    public enum Engine: Sendable {
        case builtin
        case deepmd(DeepmdTraining)
    }

    public var engine: Engine
    /// Ensemble size (≥ 2: deviation needs at least two models).
    public var models: Int
    /// Start each member from the previous iteration's member.
    public var initFromPrevious: Bool
    public var step: StepSettings
}

public struct DeepmdTraining: Sendable {
    /// DeePMD-kit input.json template (Gyre fills in data paths, type_map and seeds).
    public var template: URL
    public var command: String
}

/// What every step (train, explore, label) may set: where its tasks run,
/// how long one may take, and how often a failed one is retried.
public struct StepSettings: Sendable {
    /// nil: the workflow's top-level executor.
    public var executor: ExecutorSettings?
    /// Seconds a task may run before it is killed and counted as failed.
    public var timeout: Double?
    public var retries: Int
}
