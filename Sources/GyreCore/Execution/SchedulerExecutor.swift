/// An executor whose tasks are batch-scheduler jobs (Slurm). Jobs outlive
/// gyre, so the journal records their ids and a resumed run waits on the
/// jobs still queued or running instead of submitting them again.
public protocol SchedulerExecutor: Executor {
    /// Runs `tasks` as `Executor.run` does, except that:
    /// - tasks in `attached` (task id → job id) were submitted by an earlier
    ///   gyre and are waited on, never resubmitted;
    /// - `onSubmit` replaces `onStart`: it is called with a task's job id once
    ///   the scheduler accepted the job (there is no local process).
    func run(
        _ tasks: [TaskSpec],
        attached: [Int64: String],
        onSubmit: @escaping @Sendable (TaskSpec, String) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async throws

    /// Which of `jobIDs` the scheduler still has queued or running; nil when
    /// the scheduler cannot be asked right now.
    func unfinishedJobs(among jobIDs: [String]) async -> Set<String>?
}
