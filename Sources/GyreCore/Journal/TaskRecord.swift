import Foundation
import GRDB

/// One task as the journal knows it: a directory, one command, and the
/// history needed to resume (state, attempts, the process that ran it).
public struct TaskRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "task"

    public var id: Int64
    public var stepID: Int64
    /// 0-based position within its step; `(stepID, index)` is unique.
    public var index: Int
    /// A human name, e.g. `model.0` or `task.012`.
    public var name: String
    /// The task directory, relative to the workdir.
    public var directory: String
    /// The argv to run (no shell), stored as a JSON array.
    public var command: [String]
    public var state: TaskState
    /// Retries consumed so far (see `Journal.resetToPending`).
    public var attempts: Int
    /// The command's exit status, when it exited.
    public var exitStatus: Int32?
    /// Why the task last failed, for reports and `gyre status`.
    public var failureReason: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Process group of the running command (its session leader's PID).
    public var processGroupID: Int32?
    /// Start time of that leader (`/proc/<pid>/stat` field 22), so a recycled
    /// PID is never mistaken for our process.
    public var processStartTime: Int64?
    /// The batch scheduler's job id, when a scheduler runs the task.
    public var schedulerJobID: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case stepID = "step_id"
        case index, name, directory, command, state, attempts
        case exitStatus = "exit_status"
        case failureReason = "failure_reason"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case processGroupID = "process_group_id"
        case processStartTime = "process_start_time"
        case schedulerJobID = "scheduler_job_id"
    }

    /// A record as `addTasks` creates it; the optional fields start empty.
    init(id: Int64, stepID: Int64, index: Int, name: String, directory: String, command: [String], state: TaskState, attempts: Int) {
        self.id = id
        self.stepID = stepID
        self.index = index
        self.name = name
        self.directory = directory
        self.command = command
        self.state = state
        self.attempts = attempts
    }

    /// The process recorded by `markRunning`, for orphan detection on resume.
    public var processIdentity: ProcessIdentity? {
        guard let processGroupID, let processStartTime, processStartTime >= 0 else { return nil }
        return ProcessIdentity(pid: processGroupID, startTime: UInt64(processStartTime))
    }
}

/// What the loop knows about a task before the journal has it: `addTasks` input.
public struct TaskPlan: Sendable, Hashable {
    /// 0-based position within the step; the idempotency key with the step.
    public var index: Int
    public var name: String
    /// Relative to the workdir.
    public var directory: String
    public var command: [String]

    public init(index: Int, name: String, directory: String, command: [String]) {
        self.index = index
        self.name = name
        self.directory = directory
        self.command = command
    }
}
