import GRDB

/// Where an iteration or a step stands.
public enum PhaseState: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    /// Begun and not finished; after a crash this is where the run resumes.
    case running
    /// Finished; its results are in the workdir.
    case done
    /// Stopped for good (e.g. too many failed tasks).
    case failed
}
