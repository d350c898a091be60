import Foundation
import GRDB

extension Journal {
    /// Every task of the run in one of `states`, by step and index; e.g. the
    /// `running` ones a resume must reconcile.
    public func tasks(in states: Set<TaskState>) throws -> [TaskRecord] {
        try read("list tasks by state") { db in
            try TaskRecord.filter(states.map(\.rawValue).contains(TaskRecord.CodingKeys.state))
                .order(TaskRecord.CodingKeys.stepID, TaskRecord.CodingKeys.index).fetchAll(db)
        }
    }

    /// On resume: puts back to pending every task a previous, killed `gyre run`
    /// left `running` on this machine, first killing its process group if it
    /// still runs — so a rerun never races the orphan in the same directory.
    /// The interruption does not consume a retry.
    ///
    /// Tasks with a scheduler job id are left alone: their executor asks the
    /// scheduler instead.
    /// - Returns: the tasks reset to pending.
    /// - Throws: `GyreError(.execution)` if an orphan group would not die
    ///   (the task is then left `running`, and the run must not go on).
    @discardableResult
    public func recoverInterruptedLocalTasks(killWait: Duration = .seconds(10)) async throws -> [TaskRecord] {
        var recovered: [TaskRecord] = []
        for task in try tasks(in: [.running]) where task.schedulerJobID == nil {
            var reason = "interrupted: gyre stopped while it ran"
            if let identity = task.processIdentity, OrphanReaper.status(of: identity) == .alive {
                guard await OrphanReaper.kill(identity, wait: killWait) else {
                    throw GyreError(.execution, "task \(task.name) left running by an earlier gyre (\(identity)) does not die")
                }
                reason += "; killed its leftover processes (\(identity))"
            }
            recovered.append(try resetToPending(task.id, reason: reason, consumesAttempt: false))
        }
        return recovered
    }
}
