import Foundation
import Testing
@testable import GyreCore

/// The loop's step runner on Slurm: faults retried with their reasons, and
/// jobs left by a killed gyre re-attached instead of resubmitted.
@Suite("Slurm step runner", .serialized, .needsSlurmTestCluster)
struct SlurmStepRunnerTests {
    static func runner(_ journal: Journal, _ root: URL, _ executor: SlurmExecutor, retries: Int = 2) -> StepRunner {
        StepRunner(
            journal: journal, layout: WorkdirLayout(root: root), executor: executor, retries: retries, timeout: nil,
            accept: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("done").path) ? nil : "no done file" },
            progress: ProgressLog(level: .quiet), label: "test")
    }

    static func executor(_ root: URL, _ runner: RecordingSlurmRunner, name: String = SlurmTestCluster.jobName(), time: String? = nil) -> SlurmExecutor {
        SlurmExecutor(settings: SlurmTestCluster.settings(time: time), jobName: name,
                      jobDirectory: root.appendingPathComponent("slurm"), runner: runner)
    }

    @Test(.timeLimit(.minutes(15)))
    func aJobCancelledOutsideGyreIsResubmitted() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        // A first attempt waits for `release` (made only once gyre has seen the cancel), so
        // the cancel always lands on a live job however late gyre's last squeue
        // answer is; the resubmission ends at once, and task 1's first attempt on release.
        let release = root.url.appendingPathComponent("release").path
        let (journal, tasks) = try PendingStepFixture.step(root.url, kind: .label, count: 2,
            command: "if [ -e tried ]; then touch done; else touch tried; i=0; while [ ! -e '\(release)' ] && [ $i -lt 600 ]; do sleep 1; i=$((i+1)); done; touch done; fi")
        let runner = RecordingSlurmRunner()
        let stepRunner = Self.runner(journal, root.url, Self.executor(root.url, runner))
        let run = Task { try await stepRunner.run(tasks) }

        // Kill task 0's job as an operator would: once it runs, or, if it
        // still pends after 50 of gyre's polls (about a minute), as it is; a
        // pending job cancelled outside gyre must be resubmitted all the same.
        // Counted in gyre's polls, not wall-clock time: in the full parallel
        // run, synchronous CLI tests hold the two cooperative threads for
        // minutes, during which neither gyre's polling nor this loop runs —
        // why a 300 s wait for RUNNING used to expire there.
        var job: String?
        var wasRunning = false
        var firstSeen: Int?
        while job == nil {
            try await Task.sleep(for: .milliseconds(100))
            let answers = runner.squeueAnswers
            if answers.count > 1000 { break }
            guard let id = try journal.task(tasks[0].id).schedulerJobID, let answer = answers.last,
                  let state = SlurmQueue.parse(answer, separator: "|")[id]?.state, !state.isFinal
            else { continue }
            let seen = firstSeen ?? answers.count
            firstSeen = seen
            wasRunning = state == .running
            if wasRunning || answers.count - seen >= 50 { job = id }
        }
        let cancelled = try #require(job)
        #expect(await SlurmCLI().run("scancel", [cancelled]).succeeded)
        // scancel returns before the job's shell has its signal: releasing at
        // once let the cancelled attempt see `release`, finish and exit 0 (seen
        // in CI). Release only once gyre has judged the cancelled attempt (it
        // counts as task 0's first failed attempt, which stays counted even if
        // the resubmission is already running when this loop looks), or after
        // 600 of its polls should it never do so (then the expectations below fail).
        let pollsAtCancel = runner.squeueAnswers.count
        while try journal.task(tasks[0].id).attempts == 0, runner.squeueAnswers.count - pollsAtCancel < 600 {
            try await Task.sleep(for: .milliseconds(100))
        }
        FileManager.default.createFile(atPath: release, contents: nil)
        let final = try await run.value

        #expect(final.allSatisfy { $0.state == .done })
        #expect(final[0].attempts == 1)
        #expect(runner.calls("sbatch") == 2)
        // A running job ends CANCELLED; a pending array element cancelled
        // before Slurm split it from its array leaves no record in squeue at all.
        let reasons = try journal.events(task: tasks[0].id).compactMap(\.detail)
        #expect(reasons.contains { $0.contains("CANCELLED") || (!wasRunning && $0.contains("vanished from the queue")) },
                "cancelled while \(wasRunning ? "running" : "pending"); events: \(reasons)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aJobPastItsSlurmTimeLimitIsRetriedAndReported() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        // First attempt outlives the 1-minute limit; the retry finishes at once.
        let (journal, tasks) = try PendingStepFixture.step(root.url, kind: .label, count: 1, command: "if [ -e tried ]; then touch done; else touch tried; sleep 600; fi")
        let runner = RecordingSlurmRunner()
        let final = try await Self.runner(journal, root.url, Self.executor(root.url, runner, time: "1")).run(tasks)

        #expect(final[0].state == .done)
        #expect(final[0].attempts == 1)
        let reasons = try journal.events(task: tasks[0].id).compactMap(\.detail)
        #expect(reasons.contains { $0.hasPrefix("timed out") }, "events: \(reasons)")
    }

    @Test func jobsLeftByAKilledGyreAreReattachedNotResubmitted() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (journal, tasks) = try PendingStepFixture.step(root.url, kind: .label, count: 4, command: "sleep 3; touch done")
        let name = SlurmTestCluster.jobName()
        let layout = WorkdirLayout(root: root.url)
        // The previous gyre: submitted tasks 0-2 (task 2 has already finished
        // when gyre comes back), journaled them, and was killed.
        let specs = tasks.map { TaskSpec(id: $0.id, directory: layout.url($0.directory), command: $0.command) }
        let script = SlurmJobScript(settings: SlurmTestCluster.settings(), template: .builtin)
        let scriptURL = root.url.appendingPathComponent("earlier.sh")
        try Data(script.text(units: [[specs[0]], [specs[1]]]).utf8).write(to: scriptURL)
        let queue = SlurmQueue(runner: SlurmCLI(), jobName: name)
        let array = try await queue.submit(script: scriptURL, array: "0-1", logDirectory: root.url).get()
        try journal.markRunning(tasks[0].id, process: nil, schedulerJobID: "\(array)_0")
        try journal.markRunning(tasks[1].id, process: nil, schedulerJobID: "\(array)_1")
        FileManager.default.createFile(atPath: specs[2].directory.appendingPathComponent("done").path, contents: nil)
        try journal.markRunning(tasks[2].id, process: nil, schedulerJobID: "999999")

        let runner = RecordingSlurmRunner()
        // The new gyre reads the tasks back from the journal, as the loop does.
        let journaled = try tasks.map { try journal.task($0.id) }
        let final = try await Self.runner(journal, root.url, Self.executor(root.url, runner, name: name)).run(journaled)

        let history = try tasks.map { try journal.events(task: $0.id).map { "\($0.toState.rawValue): \($0.detail ?? "")" } }
        #expect(final.allSatisfy { $0.state == .done }, "events: \(history)")
        #expect(runner.calls("sbatch") == 1, "only task 3, never submitted before, is submitted")
        #expect(try journal.task(tasks[0].id).schedulerJobID == "\(array)_0")
        #expect(final.allSatisfy { $0.attempts == 0 })
    }
}
