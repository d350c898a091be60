import Foundation
import GRDB

/// One iteration of the loop (train → explore → select → label → ingest)
/// within an exploration stage.
public struct IterationRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "iteration"

    public var id: Int64
    /// 0-based iteration number across the whole run (`iter.000`, …). Unique.
    public var index: Int
    /// The exploration stage this iteration belongs to.
    public var stageName: String
    /// 0-based position of that stage in the workflow.
    public var stageIndex: Int
    public var state: PhaseState
    public var startedAt: Date
    public var finishedAt: Date?
    /// Free JSON the loop stores for this iteration (convergence data,
    /// accurate/candidate/failed fractions, …); nil until set.
    public var summary: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, index
        case stageName = "stage_name"
        case stageIndex = "stage_index"
        case state
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case summary
    }

    /// Decodes `summary` as `T`; nil when no summary was stored.
    public func decodedSummary<T: Decodable>(as type: T.Type) throws -> T? {
        guard let summary else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(summary.utf8))
        } catch {
            throw GyreError(.journal, "summary of iteration \(index) is not a valid \(T.self)", cause: error)
        }
    }
}
