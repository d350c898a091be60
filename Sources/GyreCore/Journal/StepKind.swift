import GRDB

/// The five steps of one iteration, in the order they run.
public enum StepKind: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case train, explore, select, label, ingest
}
