import Foundation

/// Everything `gyre report` says about a run, read from its journal and
/// workdir: one value rendered as a text table, JSON (docs/report-schema.md)
/// or an HTML page. Field names are part of the JSON schema: do not rename.
public struct RunReport: Codable, Sendable, Equatable {
    /// Bumped only when a field changes meaning or disappears; new fields keep the version.
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var generatedAt: Date
    public var run: RunOverview
    public var stages: [StageVerdict]
    public var iterations: [IterationReport]
    /// The log-spaced bins every iteration's deviation histogram uses.
    public var deviationBins: DeviationBins
    /// Task attempts that failed, oldest first: retried ones and failures for good.
    public var failures: [FailureRow]
    /// Failures beyond the ones listed (the list keeps the most recent `FailureRow.limit`).
    public var failuresOmitted: Int
    /// The labelled data set: frames added and duplicates skipped, by iteration and engine.
    public var dataSet: DataSetReport = DataSetReport(byIteration: [])

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", generatedAt = "generated_at", run, stages, iterations
        case deviationBins = "deviation_bins", failures, failuresOmitted = "failures_omitted", dataSet = "data_set"
    }
}

/// What the journal's per-frame provenance says about the data set.
public struct DataSetReport: Codable, Sendable, Equatable {
    /// Frames in the data set (initial data included).
    public var frames: Int
    /// Labelled frames left out because their content was already in the data set.
    public var duplicates: Int
    /// Per iteration (-1 = initial data) and label engine (`given` for initial data files).
    public var byIteration: [DataFrameCount]

    public init(byIteration: [DataFrameCount]) {
        self.byIteration = byIteration
        frames = byIteration.reduce(0) { $0 + $1.frames }
        duplicates = byIteration.reduce(0) { $0 + $1.duplicates }
    }

    enum CodingKeys: String, CodingKey {
        case frames, duplicates, byIteration = "by_iteration"
    }
}

/// The run as a whole.
public struct RunOverview: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// A `gyre run` holds the workdir's lock right now.
        case running
        /// Every stage converged and the final ensemble was trained.
        case converged
        /// No run is active and the loop has not finished: stopped, interrupted or failed.
        case stopped
    }

    public var name: String
    public var workdir: String
    public var state: State
    public var startedAt: Date?
    /// First iteration start to the last recorded finish (or now while running), seconds.
    public var wallSeconds: Double
    /// Labels added by the loop (initial data excluded).
    public var labels: Int

    enum CodingKeys: String, CodingKey {
        case name, workdir, state, startedAt = "started_at", wallSeconds = "wall_seconds", labels
    }
}

/// A stage's convergence verdict.
public struct StageVerdict: Codable, Sendable, Equatable {
    public var name: String
    public var index: Int
    /// Iteration indices of the stage, in order.
    public var iterations: [Int]
    public var converged: Bool
    /// The iteration whose accurate fraction (or stable lo) met `converged_when`.
    public var convergedAt: Int?

    enum CodingKeys: String, CodingKey {
        case name, index, iterations, converged, convergedAt = "converged_at"
    }
}

/// One row of the report: one iteration (or the final training, `stage == "final"`).
public struct IterationReport: Codable, Sendable, Equatable {
    public var index: Int
    public var name: String
    public var stage: String
    public var stageIndex: Int
    /// `running` while the iteration is in progress.
    public var state: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// True for the final training after every stage converged (no exploration).
    public var isFinal: Bool
    /// Systems × conditions explored (explore tasks while selection has not run yet).
    public var conditions: Int
    public var frames: FrameCounts?
    public var trust: TrustUsed?
    public var labels: LabelCounts?
    /// The ensemble of this iteration on the frames labelled in it, before training on them.
    public var holdout: ErrorMeasure?
    /// Mean over members of each member's error on its own training data
    /// (train.done, or DeePMD-kit's last lcurve.out row as journaled).
    public var training: ErrorMeasure?
    /// Mean over members of DeePMD-kit's final validation error, when the template set validation data.
    public var validation: ErrorMeasure?
    public var steps: [StepTiming]
    /// Sum of the steps' `idle_seconds`: time no task of this iteration was running.
    public var overheadSeconds: Double
    public var deviation: DeviationHistogram?
    /// nil while the iteration runs and for the final training.
    public var converged: Bool?

    enum CodingKeys: String, CodingKey {
        case index, name, stage, stageIndex = "stage_index", state, startedAt = "started_at", finishedAt = "finished_at"
        case isFinal = "final", conditions, frames, trust, labels, holdout, training, validation, steps
        case overheadSeconds = "overhead_seconds", deviation, converged
    }
}

/// The selection's classification of sampled frames.
public struct FrameCounts: Codable, Sendable, Equatable {
    /// Frames classified (= accurate + candidate + failed).
    public var sampled: Int
    public var accurate: Int
    public var candidate: Int
    public var failed: Int
    /// Percentages of `sampled`; they sum to 100 (0 each when nothing was sampled).
    public var accuratePercent: Double
    public var candidatePercent: Double
    public var failedPercent: Double

    public init(sampled: Int, accurate: Int, candidate: Int, failed: Int) {
        self.sampled = sampled
        self.accurate = accurate
        self.candidate = candidate
        self.failed = failed
        let total = Double(max(sampled, 1))
        accuratePercent = sampled == 0 ? 0 : 100 * Double(accurate) / total
        candidatePercent = sampled == 0 ? 0 : 100 * Double(candidate) / total
        failedPercent = sampled == 0 ? 0 : 100 * Double(failed) / total
    }

    enum CodingKeys: String, CodingKey {
        case sampled, accurate, candidate, failed
        case accuratePercent = "accurate_pct", candidatePercent = "candidate_pct", failedPercent = "failed_pct"
    }
}

/// The force trust window the selection used, eV/Å.
public struct TrustUsed: Codable, Sendable, Equatable {
    public var lo: Double
    public var hi: Double
    /// True when lo was adapted (DP-GEN2's adaptive-lower).
    public var adaptive: Bool
}

/// Labelling of one iteration.
public struct LabelCounts: Codable, Sendable, Equatable {
    public var picked: Int
    /// Label tasks whose outputs were accepted.
    public var done: Int
    public var failed: Int
    /// Accepted labels whose frame was in the data set already (same species,
    /// cell and positions): not added again. `done − duplicates` frames were added.
    public var duplicates: Int = 0
    /// Frames the loop added to the data set up to and including this iteration.
    public var cumulative: Int
}

/// Energy and force root-mean-square errors against reference labels.
public struct ErrorMeasure: Codable, Sendable, Equatable {
    public enum Prediction: String, Codable, Sendable {
        /// The mean of the members' energies and forces, compared with the labels.
        case ensembleMean = "ensemble_mean"
        /// Each member compared with the labels, RMSEs averaged over members.
        case memberMean = "member_mean"
    }

    public var prediction: Prediction
    public var members: Int
    public var frames: Int
    /// RMSE of energy per atom, eV/atom.
    public var energyRMSEPerAtom: Double
    /// RMSE over all force components, eV/Å.
    public var forceRMSE: Double

    enum CodingKeys: String, CodingKey {
        case prediction, members, frames
        case energyRMSEPerAtom = "energy_rmse_per_atom", forceRMSE = "force_rmse"
    }
}

/// Where one step's wall time went.
public struct StepTiming: Codable, Sendable, Equatable {
    public var kind: String
    public var state: String
    /// Step start to finish (to now while it runs), seconds.
    public var wallSeconds: Double
    /// Sum of every task attempt's run time: busy slot-seconds, can exceed the wall time with parallel slots.
    public var taskSeconds: Double
    /// Wall time during which no task of the step was running: Gyre's own work
    /// (writing inputs, reading outputs, selection, ingest) plus launch latency.
    public var idleSeconds: Double
    public var tasks: Int
    public var tasksDone: Int
    public var tasksFailed: Int

    enum CodingKeys: String, CodingKey {
        case kind, state, wallSeconds = "wall_seconds", taskSeconds = "task_seconds", idleSeconds = "idle_seconds"
        case tasks, tasksDone = "tasks_done", tasksFailed = "tasks_failed"
    }
}

/// One failed task attempt and why.
public struct FailureRow: Codable, Sendable, Equatable {
    /// Rows kept in a report: enough to see patterns, small enough for the page.
    public static let limit = 200

    public var iteration: Int
    public var step: String
    public var task: String
    public var directory: String
    public var at: Date
    public var reason: String
    /// True when the task then stayed failed; false when it was retried.
    public var final: Bool
}
