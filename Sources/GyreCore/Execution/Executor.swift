/// Runs task commands in their directories — locally, on a batch scheduler,
/// or by waiting for outputs made elsewhere. Executors know nothing of the
/// journal: they report through the callbacks and the loop records.
public protocol Executor: Sendable {
    /// Runs `tasks`, returning when every task that was started has finished.
    ///
    /// - `onStart` is called once a task's process exists (before that
    ///   process can be reaped), so the loop can journal it as running.
    /// - `onFinish` is called exactly once for every task `onStart` was called
    ///   for, and for tasks that failed to launch; with its outcome and wall time.
    ///
    /// On Swift task cancellation no new task starts, every running one is
    /// stopped and reported `.cancelled` (or `.exited(status: 0)` if it had
    /// just finished), and tasks never started are not reported at all (they
    /// are still pending).
    /// - Throws: only for failures of the executor itself (e.g. a scheduler
    ///   that cannot be reached); a failing command is an outcome.
    func run(
        _ tasks: [TaskSpec],
        onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async throws

    /// Stops every process a previous, killed gyre left running for `tasks`,
    /// including those it was killed too early to journal (between spawning a
    /// command and recording its PID), so a rerun never races an unseen copy
    /// in the same directory. Called before the tasks are judged or run again.
    /// - Returns: how many processes were stopped.
    /// - Throws: when such a process cannot be stopped.
    func stopLeftovers(of tasks: [TaskSpec]) async throws -> Int
}

extension Executor {
    /// Executors whose commands do not run on this machine leave nothing here to stop.
    public func stopLeftovers(of tasks: [TaskSpec]) async throws -> Int { 0 }
}
