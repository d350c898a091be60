/// Runs tasks on this machine, at most `slots` at a time, each in its own
/// session and process group so a timeout or Ctrl-C stops the command and
/// everything it spawned.
public struct LocalExecutor: Executor {
    /// How many commands may run at once (at least 1).
    public let slots: Int
    /// Between SIGTERM and SIGKILL when a task is stopped, so well-behaved
    /// programs can flush their outputs.
    public let gracePeriod: Duration

    public init(slots: Int, gracePeriod: Duration = .seconds(10)) {
        self.slots = max(1, slots)
        self.gracePeriod = gracePeriod
    }

    /// Runs `tasks` in order of the array, `slots` at a time. See `Executor.run`.
    public func run(
        _ tasks: [TaskSpec],
        onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async {
        let launcher = TaskLauncher(gracePeriod: gracePeriod)
        await withTaskGroup(of: Void.self) { group in
            var queue = tasks.makeIterator()
            var running = 0
            func startNext() -> Bool {
                // After cancellation nothing new starts: unstarted tasks stay
                // pending in the journal and run on resume.
                guard !Task.isCancelled, let spec = queue.next() else { return false }
                group.addTask {
                    let (outcome, elapsed) = await launcher.run(spec, onStart: onStart)
                    await onFinish(spec, outcome, elapsed)
                }
                return true
            }
            while running < slots, startNext() { running += 1 }
            while running > 0 {
                await group.next()
                running -= 1
                if startNext() { running += 1 }
            }
        }
    }

    /// Kills the processes marked as running in the tasks' directories:
    /// every command this executor launches carries `TaskMarker`.
    public func stopLeftovers(of tasks: [TaskSpec]) async throws -> Int {
        let (stopped, living) = await OrphanReaper.killMarked(inDirectories: tasks.map(\.directory))
        guard living.isEmpty else {
            throw GyreError(.execution, """
                processes \(living.map(String.init).joined(separator: ", ")) that a previous gyre run started for this \
                step's tasks still run after SIGKILL; rerunning the tasks beside them would mix their outputs. \
                Stop them, then run again
                """)
        }
        return stopped
    }
}
