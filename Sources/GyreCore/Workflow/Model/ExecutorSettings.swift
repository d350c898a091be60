import Foundation

/// Where tasks run.
public enum ExecutorSettings: Sendable {
    case local(LocalExecutorSettings)
    case slurm(SlurmSettings)
    case external(ExternalSettings)

    public var name: String {
        switch self {
        case .local: "local"
        case .slurm: "slurm"
        case .external: "external"
        }
    }
}

public struct LocalExecutorSettings: Sendable {
    /// Tasks run at once.
    public var slots: Int
}

public struct SlurmSettings: Sendable {
    public var partition: String?
    public var account: String?
    public var qos: String?
    /// Job time limit as Slurm takes it ("02:00:00").
    public var time: String?
    public var nodes: Int?
    public var ntasks: Int?
    public var cpusPerTask: Int?
    public var gpus: Int?
    public var memory: String?
    /// Group a step's tasks into job arrays.
    public var array: Bool
    /// `%` throttle of array jobs; nil: none.
    public var arrayThrottle: Int?
    /// Tasks run one after another inside one job.
    public var groupSize: Int
    public var maxQueued: Int
    public var pollSeconds: Double
    /// Extra `#SBATCH` lines, verbatim.
    public var extra: [String]
    /// Lines run before the task (module loads, `source`).
    public var setup: [String]
    /// The user's job script template (`template:`), checked when the
    /// workflow is read; nil: `Templates/slurm/job.sh` beside the workflow,
    /// else the built-in one.
    public var template: URL? = nil
}

public struct ExternalSettings: Sendable {
    public var pollSeconds: Double
}
