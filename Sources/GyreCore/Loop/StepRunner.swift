import Foundation

/// Runs one step's tasks to completion through an executor, journaling every
/// transition: retries failures up to `retries`, trusts outputs only when the
/// engine adapter accepts them, and on resume settles tasks a killed run left
/// "running" — kills their leftover processes, or keeps their outputs when
/// they finished — so no task ever races its own rerun or runs twice.
struct StepRunner {
    let journal: Journal
    let layout: WorkdirLayout
    let executor: any Executor
    let retries: Int
    let timeout: Duration?
    /// nil when the task directory holds complete, valid outputs; else why not.
    let accept: @Sendable (URL) -> String?
    let progress: ProgressLog
    let label: String
    /// Give tasks a previous run recorded as failed one more run (the label
    /// step: its failures stop the run, and rerunning means "try again").
    var retryFailed = false
    /// Why a task whose command failed failed, from the engine's own log;
    /// nil (or no such log): the last line of its stderr.
    var explainFailure: (@Sendable (URL) -> String?)? = nil

    /// Runs every task not yet done; returns the final records (done or failed).
    func run(_ tasks: [TaskRecord]) async throws -> [TaskRecord] {
        progress.beginTasks(label, journal: journal, step: tasks.first?.stepID)
        defer { progress.endTasks() }
        // Before any task is judged by its outputs or run again: what a killed
        // gyre left running there, journaled or not, would keep writing.
        let stopped = try await executor.stopLeftovers(of: tasks.filter { $0.state != .done }.map(spec(for:)))
        if stopped > 0 {
            progress.note("\(label): stopped \(stopped) process(es) a previous gyre run left running in these tasks' directories")
        }
        // Jobs an earlier, killed gyre left queued or running: waited on in
        // the first round rather than submitted again.
        var attached = try await settleLeftovers(tasks)
        var round = 0
        while true {
            let pending = try tasks.map { try journal.task($0.id) }.filter { $0.state == .pending }
            let reattached = try attached.keys.sorted().map { try journal.task($0) }.filter { $0.state == .running }
            if pending.isEmpty, reattached.isEmpty { break }
            try Task.checkCancellation()
            round += 1
            try await launch(reattached + pending, attached: attached)
            attached = [:]
            if Task.isCancelled { throw CancellationError() }
            // Tasks whose failure left retries were put back to pending: loop.
            if round > retries + 2 + pending.count { break }
        }
        return try tasks.map { try journal.task($0.id) }
    }

    /// Tasks journaled as running belong to a run that was killed. A task
    /// with a scheduler job id is re-attached when the scheduler still has
    /// its job queued or running (or cannot be asked now); otherwise it is
    /// judged, like a local leftover, by its outputs.
    /// - Returns: the re-attached tasks' job ids, by task id.
    private func settleLeftovers(_ tasks: [TaskRecord]) async throws -> [Int64: String] {
        if retryFailed {
            for task in tasks where try journal.task(task.id).state == .failed {
                try journal.resetToPending(task.id, reason: "retried by a new gyre run", consumesAttempt: false)
            }
        }
        var leftovers: [TaskRecord] = []
        for task in tasks where task.state == .running || task.state == .waiting {
            let current = try journal.task(task.id)
            if current.state == .running { leftovers.append(current) }
        }
        var attached: [Int64: String] = [:]
        let jobs = leftovers.compactMap(\.schedulerJobID)
        if !jobs.isEmpty, let scheduler = executor as? any SchedulerExecutor {
            // One scheduler query for all of them; nil: ask again while waiting.
            let unfinished = await scheduler.unfinishedJobs(among: jobs)
            for task in leftovers {
                guard let job = task.schedulerJobID, unfinished?.contains(job) ?? true else { continue }
                attached[task.id] = job
            }
            if !attached.isEmpty {
                progress.note("\(label): waiting on \(attached.count) task(s) whose jobs a previous gyre run left in the queue")
            }
        }
        for current in leftovers where attached[current.id] == nil {
            if let identity = current.processIdentity, OrphanReaper.status(of: identity) == .alive {
                progress.note("\(label): \(current.name) was left running by a previous gyre run (pid \(identity.pid)); stopping it")
                _ = await OrphanReaper.kill(identity)
            }
            if accept(layout.url(current.directory)) == nil {
                try journal.markDone(current.id, exitStatus: nil)
            } else {
                try journal.resetToPending(current.id, reason: "interrupted: gyre stopped while it ran", consumesAttempt: false)
            }
        }
        return attached
    }

    /// Runs `tasks`; those in `attached` (task id → job id) are already
    /// submitted and only waited on (scheduler executors only).
    private func launch(_ tasks: [TaskRecord], attached: [Int64: String]) async throws {
        let specs = tasks.map(spec(for:))
        let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0) })
        let journal = self.journal
        let accept = self.accept
        let retries = self.retries
        let progress = self.progress
        let label = self.label
        let explainFailure = self.explainFailure
        let total = tasks.count
        let finished = Counter()
        let onFinish: @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void = { spec, outcome, elapsed in
            let name = byID[spec.id]?.name ?? "task \(spec.id)"
            let n = await finished.increment()
            do {
                let current = try journal.task(spec.id)
                if current.state == .pending {
                    // Never marked running (launch failed): record the start so the transition is legal.
                    try journal.markRunning(spec.id, process: nil)
                }
                if outcome == .cancelled {
                    try journal.resetToPending(spec.id, reason: "cancelled", consumesAttempt: false)
                    return
                }
                var reason: String?
                if outcome.isSuccess {
                    reason = accept(spec.directory)
                } else if case .lost = outcome {
                    // The scheduler lost the job; complete outputs still count.
                    reason = accept(spec.directory) == nil ? nil : outcome.description
                } else {
                    let detail = explainFailure?(spec.directory) ?? Self.tail(of: spec.directory.appendingPathComponent("stderr.log"))
                    reason = outcome.description + (detail.isEmpty ? "" : ": " + detail)
                }
                if let reason {
                    if current.attempts < retries {
                        try journal.resetToPending(spec.id, reason: reason)
                        progress.note("\(label): \(name) failed (\(reason)); retrying")
                    } else {
                        let status: Int32? = if case .exited(let s) = outcome { s } else { nil }
                        try journal.markFailed(spec.id, reason: reason, exitStatus: status)
                        progress.note("\(label): \(name) failed for good: \(reason)")
                    }
                } else {
                    try journal.markDone(spec.id)
                    progress.step("\(label): \(name) done in \(Self.seconds(elapsed)) [\(n)/\(total)]")
                }
            } catch {
                progress.note("\(label): cannot journal the end of \(name): \(error)")
            }
        }
        if let scheduler = executor as? any SchedulerExecutor {
            try await scheduler.run(
                specs, attached: attached,
                onSubmit: { spec, job in
                    do {
                        try journal.markRunning(spec.id, process: nil, schedulerJobID: job)
                    } catch {
                        progress.note("\(label): cannot journal the submission of task id \(spec.id) as job \(job): \(error)")
                    }
                },
                onFinish: onFinish)
            return
        }
        try await executor.run(
            specs,
            onStart: { spec, identity in
                do {
                    try journal.markRunning(spec.id, process: identity)
                } catch {
                    progress.note("\(label): cannot journal the start of task id \(spec.id): \(error)")
                }
            },
            onFinish: onFinish)
    }

    private func spec(for task: TaskRecord) -> TaskSpec {
        TaskSpec(id: task.id, directory: layout.url(task.directory), command: resolve(task.command), timeout: timeout)
    }

    /// Built-in engines are journaled as `gyre …` and run as this very binary.
    private func resolve(_ command: [String]) -> [String] {
        guard command.first == "gyre" else { return command }
        return [GyreExecutable.path] + command.dropFirst()
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return String(format: "%.1f s", s)
    }

    /// The last lines of a task's stderr (an engine's traceback or error
    /// message usually spans several), to say why it failed; "" when it is
    /// empty. `noise` drops lines an engine prints on every exit.
    static func tail(of url: URL, lines count: Int = 10, noise: (Substring) -> Bool = { _ in false }) -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 6000 ? size - 6000 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !noise($0) }
            .suffix(count).map { String($0.prefix(300)) }
        guard !lines.isEmpty else { return "" }
        return lines.count == 1 ? lines[0] : "stderr ends with\n    " + lines.joined(separator: "\n    ")
    }
}

/// Counts finished tasks across executor callbacks.
actor Counter {
    private var value = 0
    func increment() -> Int {
        value += 1
        return value
    }
}

/// The path of the running gyre binary, so built-in engine tasks run the same build.
enum GyreExecutable {
    static let path: String = {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return CommandLine.arguments.first ?? "gyre"
    }()
}
