import Foundation

/// Runs tasks as Slurm jobs: job scripts from a replaceable template, tasks
/// grouped into job arrays (or `group_size` per job), at most `max_queued`
/// jobs in the queue, and one `squeue` call per poll for all of them.
///
/// A task's outcome comes from the exit-status file its job script writes in
/// the task directory; the job's final state (squeue while Slurm keeps it,
/// else sacct where accounting exists) explains tasks that wrote none.
public struct SlurmExecutor: SchedulerExecutor {
    let settings: SlurmSettings
    let script: SlurmJobScript
    let queue: SlurmQueue
    /// Job scripts, Slurm's own job output and the pending-job warnings go here.
    let jobDirectory: URL
    /// Asked, when gyre is interrupted, whether to cancel the jobs or leave them.
    let onInterrupt: InterruptDecision
    /// How long a job may pend for an ordinary reason (`Priority`,
    /// `Resources`) before it is warned about.
    let pendingPatience: Duration
    /// Warnings worth a line in the progress log (scheduler hiccups, long waits).
    let note: @Sendable (String) -> Void

    /// The file in the job directory listing the pending-job warnings that
    /// still apply, one a line, while gyre waits on its jobs; `gyre status` shows it.
    public static let pendingWarningsFile = "pending-warnings.txt"

    /// The standing pending-job warnings of the executor writing to `jobDirectory`.
    public static func pendingWarnings(in jobDirectory: URL) -> [String] {
        let file = jobDirectory.appendingPathComponent(pendingWarningsFile)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// An executor using the Slurm commands in `PATH`.
    /// - Parameters:
    ///   - jobName: the `--job-name` of every job; squeue is polled by it.
    ///   - jobDirectory: where job scripts and Slurm output files are written.
    ///   - onInterrupt: asked, when gyre is interrupted, whether to cancel the jobs or leave them.
    public init(
        settings: SlurmSettings, jobName: String, jobDirectory: URL,
        onInterrupt: @escaping InterruptDecision = { _ in .leave }, note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(
            settings: settings, template: .builtin, jobName: jobName, jobDirectory: jobDirectory, runner: SlurmCLI(),
            onInterrupt: onInterrupt, note: note)
    }

    init(
        settings: SlurmSettings, template: SlurmJobTemplate = .builtin, jobName: String, jobDirectory: URL,
        runner: any SlurmCommandRunner = SlurmCLI(), onInterrupt: @escaping InterruptDecision = { _ in .leave },
        pendingPatience: Duration = .seconds(30 * 60), note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.settings = settings
        self.script = SlurmJobScript(settings: settings, template: template)
        self.queue = SlurmQueue(runner: runner, jobName: jobName)
        self.jobDirectory = jobDirectory
        self.onInterrupt = onInterrupt
        self.pendingPatience = pendingPatience
        self.note = note
    }

    /// See `Executor.run`. `onStart` is never called: a Slurm task has no
    /// local process; use the `SchedulerExecutor` entry point to learn job ids.
    public func run(
        _ tasks: [TaskSpec],
        onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async throws {
        try await run(tasks, attached: [:], onSubmit: { _, _ in }, onFinish: onFinish)
    }

    public func run(
        _ tasks: [TaskSpec],
        attached: [Int64: String],
        onSubmit: @escaping @Sendable (TaskSpec, String) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async throws {
        var jobs = SlurmJobBook()
        for spec in tasks {
            if let id = attached[spec.id] { jobs.attach(spec, to: id) }
        }
        let fresh = tasks.filter { attached[$0.id] == nil }
        let groupSize = max(1, settings.groupSize)
        var waiting: [[TaskSpec]] = stride(from: 0, to: fresh.count, by: groupSize).map {
            Array(fresh[$0..<min($0 + groupSize, fresh.count)])
        }
        var pacing = SlurmPollPacing(base: settings.pollSeconds)
        var watch = SlurmPendingWatch(patience: pendingPatience)
        defer { publish([]) }
        while !waiting.isEmpty || !jobs.isEmpty {
            if Task.isCancelled { return await interrupted(&jobs, onFinish) }
            // Top the queue up to max_queued (array elements count as jobs).
            while !waiting.isEmpty, jobs.count < settings.maxQueued {
                let room = settings.maxQueued - jobs.count
                let batch = settings.array ? Array(waiting.prefix(room)) : [waiting[0]]
                waiting.removeFirst(batch.count)
                await submit(batch, into: &jobs, onSubmit: onSubmit, onFinish: onFinish)
                if Task.isCancelled { return await interrupted(&jobs, onFinish) }
            }
            do {
                try await Task.sleep(for: pacing.interval)
            } catch {
                return await interrupted(&jobs, onFinish)
            }
            let progressed = await poll(&jobs, &watch, onFinish: onFinish)
            pacing.record(progress: progressed)
        }
    }

    public func unfinishedJobs(among jobIDs: [String]) async -> Set<String>? {
        guard case .success(let statuses) = await queue.states() else { return nil }
        var unfinished = Set(jobIDs.filter { statuses[$0].map { !$0.state.isFinal } ?? false })
        let unknown = jobIDs.filter { statuses[$0] == nil }
        if let accounted = await queue.accountedStates(unknown) {
            unfinished.formUnion(unknown.filter { accounted[$0].map { !$0.state.isFinal } ?? false })
        }
        return unfinished
    }

    // MARK: - Submission

    /// Writes and submits one job for `units` (an array when so configured),
    /// retrying sbatch a few times; tasks whose job cannot be submitted are
    /// reported `.launchFailed` with sbatch's message.
    private func submit(
        _ units: [[TaskSpec]], into jobs: inout SlurmJobBook,
        onSubmit: @escaping @Sendable (TaskSpec, String) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async {
        let specs = units.flatMap { $0 }
        for spec in specs { SlurmJobScript.clearRecordedOutcome(of: spec) }
        let scriptURL: URL
        do {
            scriptURL = try writeScript(units)
        } catch {
            for spec in specs { await onFinish(spec, .launchFailed("cannot write the job script: \(error)"), .zero) }
            return
        }
        let array = settings.array ? "0-\(units.count - 1)" + (settings.arrayThrottle.map { "%\($0)" } ?? "") : nil
        // Run to its end even if gyre is being cancelled: a job sbatch
        // accepted must be known, or it could not be cancelled.
        let queue = self.queue
        let directory = jobDirectory
        let result = await Task {
            var last: Result<String, SlurmFailure> = .failure(
                SlurmFailure(command: "sbatch", result: SlurmCommandResult(status: -1, output: "", error: "not run")))
            for attempt in 0..<3 {
                if attempt > 0 { try? await Task.sleep(for: .seconds(attempt)) }
                last = await queue.submit(script: scriptURL, array: array, logDirectory: directory)
                if case .success = last { break }
            }
            return last
        }.value
        switch result {
        case .failure(let failure):
            note("slurm: \(failure)")
            for spec in specs { await onFinish(spec, .launchFailed(failure.description), .zero) }
        case .success(let id):
            for (index, unit) in units.enumerated() {
                let jobID = settings.array ? "\(id)_\(index)" : id
                for spec in unit {
                    jobs.attach(spec, to: jobID)
                    await onSubmit(spec, jobID)
                }
            }
        }
    }

    private func writeScript(_ units: [[TaskSpec]]) throws -> URL {
        try FileManager.default.createDirectory(at: jobDirectory, withIntermediateDirectories: true)
        let first = units.first?.first?.id ?? 0
        let name = "job-\(first)-\(UUID().uuidString.prefix(8).lowercased()).sh"
        let url = jobDirectory.appendingPathComponent(name)
        try Data(script.text(units: units).utf8).write(to: url, options: .atomic)
        return url
    }

    // MARK: - Polling

    /// One squeue call for all jobs (plus one sacct call for those squeue no
    /// longer knows); reports the tasks of every finished job. Returns whether
    /// any job finished. A failing squeue is noted and retried next poll.
    private func poll(
        _ jobs: inout SlurmJobBook, _ watch: inout SlurmPendingWatch,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async -> Bool {
        let statuses: [String: SlurmQueue.JobStatus]
        switch await queue.states() {
        case .failure(let failure):
            note("slurm: \(failure); retrying")
            return false
        case .success(let found):
            statuses = found
        }
        let standing = watch.standingWarnings
        var pending: [String: String] = [:]
        for id in jobs.ids {
            if let status = statuses[id], status.state == .pending { pending[id] = status.reason }
        }
        for warning in watch.observe(pending: pending) { note(warning) }
        if watch.standingWarnings != standing { publish(watch.standingWarnings) }
        var finished: [(String, SlurmJobState?)] = []
        var unknown: [String] = []
        for id in jobs.ids {
            if let status = statuses[id] {
                if status.state.isFinal { finished.append((id, status.state)) } else { jobs.seen(id) }
            } else {
                unknown.append(id)
            }
        }
        if !unknown.isEmpty {
            let accounted = await queue.accountedStates(unknown)
            for id in unknown {
                if let state = accounted?[id]?.state {
                    if state.isFinal { finished.append((id, state)) }
                } else if jobs.notSeen(id) {
                    // Gone from squeue and unknown to accounting: its tasks'
                    // exit-status files (or their absence) are all there is.
                    finished.append((id, nil))
                }
            }
        }
        var progressed = false
        for (id, state) in finished {
            let specs = jobs.tasks(of: id)
            let recorded = specs.map(SlurmJobScript.recordedOutcome(of:))
            // A shared file system may show the last exit-status file a little
            // after Slurm reports the job completed: give it a few polls.
            if state == .completed, recorded.contains(nil), jobs.notSeen(id) == false { continue }
            let elapsed = jobs.elapsed(id)
            jobs.remove(id)
            progressed = true
            for (spec, outcome) in zip(specs, recorded) {
                let explained = state.map { $0.outcome(recorded: outcome) } ?? outcome
                    ?? .lost("job \(id) vanished from the queue without recording the task's exit status")
                await onFinish(spec, explained, elapsed)
            }
        }
        return progressed
    }

    /// Writes the standing pending-job warnings for `gyre status` (removes
    /// the file when there are none).
    private func publish(_ warnings: [String]) {
        let file = jobDirectory.appendingPathComponent(Self.pendingWarningsFile)
        if warnings.isEmpty {
            try? FileManager.default.removeItem(at: file)
        } else {
            try? AtomicFile.write(warnings.joined(separator: "\n") + "\n", to: file)
        }
    }

    // MARK: - Interruption

    /// gyre is stopping: `onInterrupt` decides whether the jobs are cancelled
    /// or left queued for the next `gyre run` to re-attach to.
    private func interrupted(
        _ jobs: inout SlurmJobBook, _ onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async {
        guard !jobs.isEmpty else { return }
        let (decide, count) = (onInterrupt, jobs.count)
        // Unstructured: the caller is cancelled, and the answer may come from a person.
        let choice = await Task { await decide(count) }.value
        switch choice {
        case .cancel:
            await cancel(&jobs, onFinish)
        case .leave:
            // Their tasks stay journaled as running with their job ids.
            note("slurm: left \(count) job(s) queued or running; `gyre run` again re-attaches to them "
                + "(or `scancel --name=\(queue.jobName)` cancels them)")
        }
    }

    /// One scancel for all jobs; each task reported `.cancelled` unless it
    /// had just exited 0.
    private func cancel(
        _ jobs: inout SlurmJobBook, _ onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async {
        let ids = jobs.ids
        let queue = self.queue
        // An unstructured task: the caller is cancelled, scancel must still run.
        let cancelled = await Task { await queue.cancel(ids) }.value
        if !cancelled { note("slurm: scancel of \(ids.count) job(s) failed; they may still run: \(ids.joined(separator: " "))") }
        for id in ids {
            let elapsed = jobs.elapsed(id)
            for spec in jobs.tasks(of: id) {
                let outcome: TaskOutcome = SlurmJobScript.recordedOutcome(of: spec) == .exited(status: 0) ? .exited(status: 0) : .cancelled
                await onFinish(spec, outcome, elapsed)
            }
            jobs.remove(id)
        }
    }
}
