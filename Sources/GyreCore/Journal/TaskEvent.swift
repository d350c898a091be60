import Foundation
import GRDB

/// One state transition of a task, appended and never changed: the audit
/// trail behind `gyre status` and post-mortems.
public struct TaskEvent: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "task_event"

    public var id: Int64
    public var taskID: Int64
    public var at: Date
    /// nil for the task's creation.
    public var fromState: TaskState?
    public var toState: TaskState
    /// Free text: a failure reason, an exit status, a pid, a retry cause.
    public var detail: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case taskID = "task_id"
        case at
        case fromState = "from_state"
        case toState = "to_state"
        case detail
    }
}
