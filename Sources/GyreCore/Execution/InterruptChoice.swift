/// What happens to a scheduler's jobs when gyre is interrupted (Ctrl-C,
/// SIGTERM) while they are queued or running.
public enum InterruptChoice: String, Sendable, CaseIterable {
    /// `scancel` them: their tasks go back to pending and are submitted again
    /// by the next `gyre run`.
    case cancel
    /// Leave them to the scheduler: the journal keeps their job ids, and the
    /// next `gyre run` re-attaches to those still queued or running and
    /// collects those that finished meanwhile. The safe default: no work is lost.
    case leave
}

/// Asked once gyre is interrupted, with the number of jobs still queued or
/// running, for what to do with them.
public typealias InterruptDecision = @Sendable (_ jobs: Int) async -> InterruptChoice
