import Foundation
import GRDB

/// The one run of a workdir: the workflow text it was started with and its
/// fingerprint, so a resume can tell whether the workflow changed.
public struct RunRecord: Codable, Sendable, Hashable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run"

    public var id: Int64
    /// The workflow YAML exactly as the run was started with it.
    public var workflowYAML: String
    /// A digest of the parts of the workflow that determine results.
    public var fingerprint: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case workflowYAML = "workflow_yaml"
        case fingerprint
        case createdAt = "created_at"
    }
}
