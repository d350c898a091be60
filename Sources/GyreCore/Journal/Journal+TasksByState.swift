import Foundation
import GRDB

extension Journal {
    /// Every task of the run in one of `states`, by step and index; e.g. the
    /// `waiting` ones a resumed external label step awaits again.
    public func tasks(in states: Set<TaskState>) throws -> [TaskRecord] {
        try read("list tasks by state") { db in
            try TaskRecord.filter(states.map(\.rawValue).contains(TaskRecord.CodingKeys.state))
                .order(TaskRecord.CodingKeys.stepID, TaskRecord.CodingKeys.index).fetchAll(db)
        }
    }
}
