import Foundation
import GRDB

extension Journal {
    /// Adds the planned tasks of a step, idempotently: a plan whose
    /// `(step, index)` is already journaled returns the existing task,
    /// untouched, so a resumed run never duplicates work. Each new task gets
    /// a creation event (`nil → pending`).
    /// - Returns: the tasks in the order of `plans`.
    /// - Throws: `GyreError(.journal)` if an existing task has another name or
    ///   directory than planned (the plan is not deterministic).
    @discardableResult
    public func addTasks(step stepID: Int64, _ plans: [TaskPlan], at date: Date = Date()) throws -> [TaskRecord] {
        try write("add \(plans.count) tasks to step id \(stepID)") { db in
            _ = try fetchExisting(StepRecord.self, stepID, db)
            let encoder = JSONEncoder()
            // One query for what is already there, rather than one per plan:
            // steps can have thousands of label tasks.
            let existingByIndex = Dictionary(
                try TaskRecord.filter(TaskRecord.CodingKeys.stepID == stepID).fetchAll(db).map { ($0.index, $0) },
                uniquingKeysWith: { first, _ in first }
            )
            var tasks: [TaskRecord] = []
            tasks.reserveCapacity(plans.count)
            for plan in plans {
                if let existing = existingByIndex[plan.index] {
                    guard existing.name == plan.name, existing.directory == plan.directory else {
                        throw GyreError(.journal, """
                            task \(plan.index) of step id \(stepID) is journaled as \(existing.name) in \
                            \(existing.directory), now planned as \(plan.name) in \(plan.directory)
                            """)
                    }
                    tasks.append(existing)
                    continue
                }
                let command = String(decoding: try encoder.encode(plan.command), as: UTF8.self)
                try db.cachedStatement(sql: """
                    INSERT INTO task (step_id, "index", name, directory, command, state, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, 0)
                    """).execute(arguments: [stepID, plan.index, plan.name, plan.directory, command, TaskState.pending])
                let task = TaskRecord(
                    id: db.lastInsertedRowID, stepID: stepID, index: plan.index, name: plan.name,
                    directory: plan.directory, command: plan.command, state: .pending, attempts: 0
                )
                try appendEvent(task: task.id, from: nil, to: .pending, detail: nil, at: date, db)
                tasks.append(task)
            }
            return tasks
        }
    }

    /// Records that the task's command was launched as `process` (its own
    /// process group). `schedulerJobID` is for batch schedulers.
    @discardableResult
    public func markRunning(
        _ taskID: Int64, process: ProcessIdentity?, schedulerJobID: String? = nil, at date: Date = Date()
    ) throws -> TaskRecord {
        let detail = process.map { "pid \($0.pid) started \($0.startTime)" } ?? schedulerJobID.map { "job \($0)" }
        return try transition(taskID, to: .running, detail: detail, at: date) { task in
            task.startedAt = date
            task.finishedAt = nil
            task.exitStatus = nil
            task.processGroupID = process?.pid
            task.processStartTime = process.map { Int64(clamping: $0.startTime) }
            task.schedulerJobID = schedulerJobID ?? task.schedulerJobID
        }
    }

    /// Records that the task finished and its outputs were accepted. Final.
    @discardableResult
    public func markDone(_ taskID: Int64, exitStatus: Int32? = 0, at date: Date = Date()) throws -> TaskRecord {
        try transition(taskID, to: .done, detail: exitStatus.map { "exit \($0)" }, at: date) { task in
            task.exitStatus = exitStatus
            task.failureReason = nil
            task.finishedAt = date
        }
    }

    /// Records that the task failed, and why.
    @discardableResult
    public func markFailed(_ taskID: Int64, reason: String, exitStatus: Int32? = nil, at date: Date = Date()) throws -> TaskRecord {
        try transition(taskID, to: .failed, detail: reason, at: date) { task in
            task.exitStatus = exitStatus
            task.failureReason = reason
            task.finishedAt = date
        }
    }

    /// Records that the task's inputs are out and its outputs are expected
    /// from elsewhere (external labelling).
    @discardableResult
    public func markWaiting(_ taskID: Int64, detail: String? = nil, at date: Date = Date()) throws -> TaskRecord {
        try transition(taskID, to: .waiting, detail: detail, at: date) { _ in }
    }

    /// Puts a task back to pending so it runs again. By default this consumes
    /// one retry (`attempts += 1`); pass `consumesAttempt: false` when the task
    /// was interrupted through no fault of its own (e.g. gyre itself was
    /// killed), so interruptions never eat into `retries`.
    @discardableResult
    public func resetToPending(
        _ taskID: Int64, reason: String, consumesAttempt: Bool = true, at date: Date = Date()
    ) throws -> TaskRecord {
        try transition(taskID, to: .pending, detail: reason, at: date) { task in
            if consumesAttempt { task.attempts += 1 }
            task.startedAt = nil
            task.finishedAt = nil
            task.processGroupID = nil
            task.processStartTime = nil
            task.schedulerJobID = nil
        }
    }

    /// One task by id.
    public func task(_ taskID: Int64) throws -> TaskRecord {
        try read("read task id \(taskID)") { db in try fetchExisting(TaskRecord.self, taskID, db) }
    }

    /// The tasks of a step, by index; only those in `states` when given.
    public func tasks(step stepID: Int64, in states: Set<TaskState>? = nil) throws -> [TaskRecord] {
        try read("list the tasks of step id \(stepID)") { db in
            var request = TaskRecord.filter(TaskRecord.CodingKeys.stepID == stepID)
            if let states {
                request = request.filter(states.map(\.rawValue).contains(TaskRecord.CodingKeys.state))
            }
            return try request.order(TaskRecord.CodingKeys.index).fetchAll(db)
        }
    }

    /// The task's state transitions, oldest first.
    public func events(task taskID: Int64) throws -> [TaskEvent] {
        try read("list the events of task id \(taskID)") { db in
            try TaskEvent.filter(TaskEvent.CodingKeys.taskID == taskID).order(TaskEvent.CodingKeys.id).fetchAll(db)
        }
    }

    /// Moves one task to `next` in a transaction, applying `change` and
    /// appending the event; refuses moves `TaskState.canTransition` forbids.
    private func transition(
        _ taskID: Int64, to next: TaskState, detail: String?, at date: Date, _ change: (inout TaskRecord) -> Void
    ) throws -> TaskRecord {
        try write("move task id \(taskID) to \(next.rawValue)") { db in
            var task = try fetchExisting(TaskRecord.self, taskID, db)
            let previous = task.state
            guard previous.canTransition(to: next) else {
                throw GyreError(.journal, "task \(task.name) (id \(taskID)) cannot go from \(previous.rawValue) to \(next.rawValue)")
            }
            change(&task)
            task.state = next
            try task.update(db)
            try appendEvent(task: taskID, from: previous, to: next, detail: detail, at: date, db)
            return task
        }
    }

    private func appendEvent(
        task taskID: Int64, from: TaskState?, to: TaskState, detail: String?, at date: Date, _ db: Database
    ) throws {
        try db.cachedStatement(sql: "INSERT INTO task_event (task_id, at, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [taskID, date, from, to, detail])
    }
}
