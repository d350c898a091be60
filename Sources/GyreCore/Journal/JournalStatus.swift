import Foundation
import GRDB

/// Where a run stands, read in one snapshot: what `gyre status` prints.
public struct JournalStatus: Sendable, Hashable {
    public var run: RunRecord?
    /// The latest iteration begun (carries the current stage).
    public var iteration: IterationRecord?
    /// The latest step begun in that iteration.
    public var step: StepRecord?
    /// Task counts of that step by state; states with no task are absent.
    public var stepTaskCounts: [TaskState: Int]
    /// Task counts of the whole run by state.
    public var totalTaskCounts: [TaskState: Int]
    /// The most recent failure of the run, if any.
    public var lastFailure: TaskFailure?
}

/// One recorded failure: the task as it is now, and why and when it failed
/// (from its `→ failed` event, so it survives a later retry).
public struct TaskFailure: Sendable, Hashable {
    public var task: TaskRecord
    public var reason: String?
    public var at: Date
}

extension Journal {
    /// Current run, stage, iteration, step, task counts and last failure.
    public func status() throws -> JournalStatus {
        try read("read the status") { db in
            let iteration = try IterationRecord.order(IterationRecord.CodingKeys.index.desc).fetchOne(db)
            let step = try iteration.flatMap {
                try StepRecord.filter(StepRecord.CodingKeys.iterationID == $0.id)
                    .order(StepRecord.CodingKeys.id.desc).fetchOne(db)
            }
            return JournalStatus(
                run: try RunRecord.order(RunRecord.CodingKeys.id).fetchOne(db),
                iteration: iteration,
                step: step,
                stepTaskCounts: try step.map { try Self.counts(stepID: $0.id, db) } ?? [:],
                totalTaskCounts: try Self.counts(stepID: nil, db),
                lastFailure: try Self.lastFailure(db)
            )
        }
    }

    /// Task counts by state, for one step or (nil) the whole run.
    public func taskCounts(step stepID: Int64? = nil) throws -> [TaskState: Int] {
        try read("count tasks") { db in try Self.counts(stepID: stepID, db) }
    }

    /// The most recent failure of the run, if any.
    public func lastFailure() throws -> TaskFailure? {
        try read("find the last failure") { db in try Self.lastFailure(db) }
    }

    private static func counts(stepID: Int64?, _ db: Database) throws -> [TaskState: Int] {
        var sql = "SELECT state, COUNT(*) FROM task"
        var arguments: StatementArguments = []
        if let stepID {
            sql += " WHERE step_id = ?"
            arguments = [stepID]
        }
        sql += " GROUP BY state"
        var counts: [TaskState: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let raw: String = row[0]
            guard let state = TaskState(rawValue: raw) else {
                throw GyreError(.journal, "unknown task state \(raw) in the journal")
            }
            counts[state] = row[1]
        }
        return counts
    }

    private static func lastFailure(_ db: Database) throws -> TaskFailure? {
        // The latest `→ failed` event, so a task failed then retried still
        // shows as the last failure until something fails after it.
        guard let event = try TaskEvent.filter(TaskEvent.CodingKeys.toState == TaskState.failed)
            .order(TaskEvent.CodingKeys.id.desc).fetchOne(db),
            let task = try TaskRecord.fetchOne(db, key: event.taskID)
        else { return nil }
        return TaskFailure(task: task, reason: event.detail, at: event.at)
    }
}
