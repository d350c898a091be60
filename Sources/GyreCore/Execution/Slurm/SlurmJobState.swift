/// A Slurm job state as `squeue -o %T` or `sacct -o State` prints it, and
/// what it means for the tasks the job runs.
enum SlurmJobState: Sendable, Hashable {
    case pending, running, completed, failed, timeout, cancelled, nodeFail, preempted, outOfMemory, bootFail, deadline
    /// A state gyre has no special meaning for (CONFIGURING, COMPLETING,
    /// SUSPENDED, REQUEUED, …): the job is still the scheduler's business.
    case other(String)

    /// Parses `CANCELLED by 0` (sacct) as well as `CANCELLED` (squeue).
    init(_ text: Substring) {
        let word = text.split(separator: " ").first.map(String.init) ?? ""
        switch word.uppercased() {
        case "PENDING": self = .pending
        case "RUNNING": self = .running
        case "COMPLETED": self = .completed
        case "FAILED": self = .failed
        case "TIMEOUT": self = .timeout
        case "CANCELLED": self = .cancelled
        case "NODE_FAIL": self = .nodeFail
        case "PREEMPTED": self = .preempted
        case "OUT_OF_MEMORY": self = .outOfMemory
        case "BOOT_FAIL": self = .bootFail
        case "DEADLINE": self = .deadline
        default: self = .other(word)
        }
    }

    /// Whether the job has ended and will not run again by itself.
    var isFinal: Bool {
        switch self {
        case .pending, .running, .other: false
        default: true
        }
    }

    /// The outcome of a task of a job that ended in this state, given what the
    /// task recorded. When Slurm itself ended the job (time limit, scancel,
    /// node failure, preemption, memory) it signalled the tasks, and a task
    /// may still record its death by that signal (143 for SIGTERM): the
    /// job's state says better why it ended, and is what gets retried.
    func outcome(recorded: TaskOutcome?) -> TaskOutcome {
        guard let recorded else { return outcomeWithoutExitStatus }
        switch (self, recorded) {
        case (.completed, _), (.failed, _): return recorded
        case (_, .exited(let status)) where status > 128: return outcomeWithoutExitStatus
        default: return recorded
        }
    }

    /// The outcome of a task whose job ended in this state without the task
    /// writing its exit-status file (it never ran, or was cut short).
    var outcomeWithoutExitStatus: TaskOutcome {
        switch self {
        case .timeout: .timedOut
        case .completed: .lost("the job completed but the task recorded no exit status (did the job script's set-up lines exit?)")
        case .failed: .lost("the job failed before the task finished (FAILED; see the job's Slurm output file)")
        case .cancelled: .lost("the job was cancelled outside gyre (CANCELLED)")
        case .nodeFail: .lost("the job's node failed (NODE_FAIL)")
        case .preempted: .lost("the job was preempted (PREEMPTED)")
        case .outOfMemory: .lost("the job ran out of memory (OUT_OF_MEMORY)")
        case .bootFail: .lost("the job's node failed to boot (BOOT_FAIL)")
        case .deadline: .lost("the job missed its deadline (DEADLINE)")
        case .pending, .running, .other: .lost("the job left the queue without the task finishing")
        }
    }
}
