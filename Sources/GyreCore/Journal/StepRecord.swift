import Foundation
import GRDB

/// One step (train, explore, …) of one iteration; owns that step's tasks.
public struct StepRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "step"

    public var id: Int64
    public var iterationID: Int64
    public var kind: StepKind
    public var state: PhaseState
    public var startedAt: Date
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case iterationID = "iteration_id"
        case kind, state
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
