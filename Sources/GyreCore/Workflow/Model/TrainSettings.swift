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
    /// The `dp` command words (e.g. `dp --pt`, or a wrapper), run through the shell.
    public var command: String
    /// `training.numb_steps`; nil keeps the template's.
    public var steps: Int?
    /// Steps of a member that starts from a model (previous iteration's or `initModel`); nil: `steps`.
    public var initSteps: Int?
    /// `learning_rate.start_lr` of a member that starts from a model; nil keeps the template's.
    public var initStartLR: Double?
    /// A frozen model every member starts from (`dp train --init-frz-model`) when it
    /// has no previous iteration's model to start from.
    public var initModel: URL?
    /// A pretrained model fine-tuned (`dp train --finetune`) when a member has no
    /// previous iteration's model to start from.
    public var finetune: URL?
    /// Run `dp compress` after `dp freeze`; the compressed model is the one explored with.
    public var compress: Bool

    public init(
        template: URL, command: String, steps: Int? = nil, initSteps: Int? = nil, initStartLR: Double? = nil,
        initModel: URL? = nil, finetune: URL? = nil, compress: Bool = false
    ) {
        self.template = template
        self.command = command
        self.steps = steps
        self.initSteps = initSteps
        self.initStartLR = initStartLR
        self.initModel = initModel
        self.finetune = finetune
        self.compress = compress
    }
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
