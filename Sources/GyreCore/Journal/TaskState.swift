import GRDB

/// Where a task stands. The journal only lets a task move along the edges of
/// `canTransition(to:)`; `done` is final, so finished work is never redone.
public enum TaskState: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    /// Not started (or reset for a retry).
    case pending
    /// Its command was launched and has not been seen to finish.
    case running
    /// Finished and its outputs accepted. Final.
    case done
    /// Gave up on it, with a reason; may be reset to pending for a retry.
    case failed
    /// Inputs emitted; waiting for outputs computed elsewhere (external labels).
    case waiting

    /// Whether the journal accepts a move from this state to `next`.
    public func canTransition(to next: TaskState) -> Bool {
        switch (self, next) {
        case (.done, _):
            return false
        case (.pending, .running), (.pending, .waiting), (.pending, .done), (.pending, .failed):
            return true
        case (.running, .done), (.running, .failed), (.running, .pending), (.running, .waiting):
            return true
        case (.waiting, .running), (.waiting, .done), (.waiting, .failed), (.waiting, .pending):
            return true
        case (.failed, .pending):
            return true
        default:
            return false
        }
    }
}
