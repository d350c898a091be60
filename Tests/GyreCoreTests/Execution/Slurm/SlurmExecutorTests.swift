import Foundation
import Synchronization
import Testing
@testable import GyreCore

/// SlurmExecutor against the real local Slurm.
@Suite("Slurm executor", .serialized, .needsSlurmTestCluster)
struct SlurmExecutorTests {
    static func tasks(_ count: Int, in root: URL, command: String) throws -> [TaskSpec] {
        try (0..<count).map { i in
            let directory = root.appendingPathComponent(String(format: "task.%03d", i))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return TaskSpec(id: Int64(i), directory: directory, command: ["/bin/sh", "-c", command])
        }
    }

    @Test func arraysStayWithinMaxQueued() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let runner = RecordingSlurmRunner()
        let executor = SlurmExecutor(
            settings: SlurmTestCluster.settings(maxQueued: 2), jobName: SlurmTestCluster.jobName(),
            jobDirectory: root.url.appendingPathComponent("slurm"), runner: runner)
        let specs = try Self.tasks(6, in: root.url, command: "sleep 1; echo ok")
        let recorder = ExecutionRecorder()
        let submitted = JobIDs()
        let started = ContinuousClock.now
        try await executor.run(specs, attached: [:], onSubmit: { await submitted.add($0.id, $1) }, onFinish: recorder.onFinish)
        let seconds = (ContinuousClock.now - started) / .seconds(1)

        #expect(specs.allSatisfy { recorder.outcome($0.id) == .exited(status: 0) })
        // Arrays as large as max_queued leaves room for: 3 of two elements
        // when jobs end in pairs, more (smaller) ones when they end apart.
        #expect((3...6).contains(runner.calls("sbatch")), "\(runner.calls("sbatch")) sbatch calls")
        #expect(runner.mostUnfinished <= 2)
        #expect(runner.mostUnfinished >= 1)
        let ids = await submitted.all
        #expect(ids.count == 6 && ids.values.allSatisfy { $0.contains("_") })
        // Polls back off while nothing finishes: after each of the (at most 6)
        // polls that see jobs finish, at most 4 quick ones (0.3, 0.45, 0.675,
        // 1.0125 s apart) and one more, then one per 4 × 0.3 s. Measured
        // against the run's own length: a loaded machine stretches these
        // 1-second jobs (91 polls in one full-suite run, past a fixed 60).
        let mostPolls = 7 * 5 + seconds / 1.2
        #expect(Double(runner.calls("squeue")) <= mostPolls, "\(runner.calls("squeue")) squeue calls in \(seconds) s")
    }

    @Test func groupSizeRunsSeveralTasksPerArrayElement() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let runner = RecordingSlurmRunner()
        let executor = SlurmExecutor(
            settings: SlurmTestCluster.settings(groupSize: 3), jobName: SlurmTestCluster.jobName(),
            jobDirectory: root.url.appendingPathComponent("slurm"), runner: runner)
        let specs = try Self.tasks(6, in: root.url, command: "exit 3")
        let recorder = ExecutionRecorder()
        let submitted = JobIDs()
        try await executor.run(specs, attached: [:], onSubmit: { await submitted.add($0.id, $1) }, onFinish: recorder.onFinish)

        #expect(specs.allSatisfy { recorder.outcome($0.id) == .exited(status: 3) })
        #expect(runner.calls("sbatch") == 1)
        #expect(Set(await submitted.all.values).count == 2)
    }

    @Test func cancellingTheSwiftTaskCancelsTheJobs() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let runner = RecordingSlurmRunner()
        let name = SlurmTestCluster.jobName()
        let executor = SlurmExecutor(
            settings: SlurmTestCluster.settings(), jobName: name,
            jobDirectory: root.url.appendingPathComponent("slurm"), runner: runner, onInterrupt: { _ in .cancel })
        let specs = try Self.tasks(2, in: root.url, command: "sleep 60")
        let recorder = ExecutionRecorder()
        let submitted = JobIDs()
        let run = Task {
            try await executor.run(specs, attached: [:], onSubmit: { await submitted.add($0.id, $1) }, onFinish: recorder.onFinish)
        }
        // Cancel once the jobs are submitted (a fixed 2 s could pass before
        // sbatch on a loaded machine: nothing to cancel, no scancel); the
        // bound only ends a wait for a submission that never comes.
        let deadline = ContinuousClock.now + .seconds(300)
        while await submitted.all.count < specs.count, recorder.finishes.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(await submitted.all.count == specs.count, "the jobs were not submitted: \(recorder.finishes)")
        run.cancel()
        try await run.value

        #expect(specs.allSatisfy { recorder.outcome($0.id) == .cancelled })
        #expect(runner.calls("scancel") == 1)
        // scancel returns before slurmctld has ended the jobs (they show
        // COMPLETING a while): wait for them to end, 200 squeue answers at most.
        let queue = SlurmQueue(runner: SlurmCLI(), jobName: name)
        var states = try #require(try? await queue.states().get())
        for _ in 0..<200 where !states.values.allSatisfy(\.state.isFinal) {
            try await Task.sleep(for: .milliseconds(100))
            states = try #require(try? await queue.states().get())
        }
        #expect(states.values.allSatisfy { $0.state.isFinal }, "\(states)")
    }

    @Test func heldJobsAreWarnedAboutOnceAndLeftQueuedOnInterrupt() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let runner = RecordingSlurmRunner()
        let name = SlurmTestCluster.jobName()
        let jobDirectory = root.url.appendingPathComponent("slurm")
        let notes = Notes()
        // Held jobs never start, whatever else the test cluster runs.
        let executor = SlurmExecutor(
            settings: SlurmTestCluster.settings(extra: ["--hold"]), jobName: name, jobDirectory: jobDirectory,
            runner: runner, onInterrupt: { _ in .leave }, note: notes.add)
        let specs = try Self.tasks(2, in: root.url, command: "true")
        let recorder = ExecutionRecorder()
        let run = Task { try await executor.run(specs, onStart: { _, _ in }, onFinish: recorder.onFinish) }
        // Waits counted in gyre's polls, not wall-clock time, which may pass
        // without either running when other tests hold the cooperative threads.
        while SlurmExecutor.pendingWarnings(in: jobDirectory).isEmpty, runner.calls("squeue") < 100 {
            try await Task.sleep(for: .milliseconds(100))
        }
        let standing = SlurmExecutor.pendingWarnings(in: jobDirectory)
        // More polls: the warning is not repeated.
        let polls = runner.calls("squeue")
        while runner.calls("squeue") < polls + 3 {
            try await Task.sleep(for: .milliseconds(100))
        }
        run.cancel()
        try await run.value

        #expect(standing.count == 1 && standing[0].contains("2 jobs") && standing[0].contains("(JobHeldUser)"), "\(standing)")
        #expect(notes.all.filter { $0.contains("JobHeldUser") }.count == 1, "\(notes.all)")
        #expect(SlurmExecutor.pendingWarnings(in: jobDirectory).isEmpty, "the warnings end with the wait")
        // Left: not cancelled, no outcome reported, still queued.
        #expect(runner.calls("scancel") == 0)
        #expect(recorder.finishes.isEmpty)
        #expect(notes.all.contains { $0.contains("left 2 job(s)") && $0.contains("scancel --name=\(name)") }, "\(notes.all)")
        let queue = SlurmQueue(runner: SlurmCLI(), jobName: name)
        let states = try #require(try? await queue.states().get())
        #expect(states.count == 2 && states.values.allSatisfy { $0.state == .pending }, "\(states)")
        #expect(await queue.cancel(Array(states.keys)))
    }

    @Test func theWorkflowsTemplateMakesTheJobScript() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let templateFile = root.url.appendingPathComponent("my job.sh")
        let text = SlurmJobTemplate.builtinText.replacingOccurrences(
            of: "{{{tasks}}}", with: "echo \"site set-up ran on $(hostname)\"\n{{{tasks}}}")
        try text.write(to: templateFile, atomically: true, encoding: .utf8)
        var settings = SlurmTestCluster.settings()
        settings.template = templateFile
        let template = try SlurmJobTemplate.chosen(by: settings, workflowAt: root.url.appendingPathComponent("w.yaml"))
        let jobDirectory = root.url.appendingPathComponent("slurm")
        let executor = SlurmExecutor(
            settings: settings, template: template, jobName: SlurmTestCluster.jobName(), jobDirectory: jobDirectory)
        let specs = try Self.tasks(1, in: root.url, command: "echo ok")
        let recorder = ExecutionRecorder()
        try await executor.run(specs, onStart: { _, _ in }, onFinish: recorder.onFinish)

        #expect(recorder.outcome(0) == .exited(status: 0))
        let files = try FileManager.default.contentsOfDirectory(atPath: jobDirectory.path)
        let script = try #require(files.first { $0.hasSuffix(".sh") })
        #expect(try String(contentsOf: jobDirectory.appendingPathComponent(script), encoding: .utf8).contains("echo \"site set-up ran on"))
        let output = try #require(files.first { $0.hasSuffix(".out") })
        #expect(try String(contentsOf: jobDirectory.appendingPathComponent(output), encoding: .utf8).contains("site set-up ran on"))
    }
}

/// Notes an executor printed.
final class Notes: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var add: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
}

/// Job ids as onSubmit reports them.
actor JobIDs {
    private(set) var all: [Int64: String] = [:]
    func add(_ task: Int64, _ job: String) { all[task] = job }
}
