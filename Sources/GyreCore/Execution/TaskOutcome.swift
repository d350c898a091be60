/// How a task's command ended. A failing command is an outcome, never a
/// thrown error: the loop decides whether to retry.
public enum TaskOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The command exited with this status (0 is success).
    case exited(status: Int32)
    /// The command was killed by this signal.
    case signalled(Int32)
    /// It ran past its timeout and its process group was stopped.
    case timedOut
    /// gyre was asked to stop (e.g. Ctrl-C) and stopped the command; the
    /// task did not fail and should run again on resume.
    case cancelled
    /// The command could not be started (missing executable, directory, …).
    case launchFailed(String)
    /// A batch scheduler ended the task's job before the task recorded its
    /// exit status (cancelled outside gyre, node failure, preemption, job
    /// vanished), with the scheduler's reason. Its outputs decide: kept if
    /// complete, else the task is retried.
    case lost(String)

    /// Whether the command ran to a zero exit status.
    public var isSuccess: Bool { self == .exited(status: 0) }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut: "timed out"
        case .cancelled: "cancelled"
        case .launchFailed(let reason): "could not start: \(reason)"
        case .lost(let reason): "lost by the scheduler: \(reason)"
        }
    }
}
