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
}
