import Foundation
import Testing
@testable import GyreCore

/// SlurmExecutor against the real local Slurm.
@Suite("Slurm executor", .serialized, .enabled(if: SlurmTestCluster.available, SlurmTestCluster.skipMessage))
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
        try await executor.run(specs, attached: [:], onSubmit: { await submitted.add($0.id, $1) }, onFinish: recorder.onFinish)

        #expect(specs.allSatisfy { recorder.outcome($0.id) == .exited(status: 0) })
        // Arrays as large as max_queued leaves room for: 3 of two elements
        // when jobs end in pairs, more (smaller) ones when they end apart.
        #expect((3...6).contains(runner.calls("sbatch")), "\(runner.calls("sbatch")) sbatch calls")
        #expect(runner.mostUnfinished <= 2)
        #expect(runner.mostUnfinished >= 1)
        let ids = await submitted.all
        #expect(ids.count == 6 && ids.values.allSatisfy { $0.contains("_") })
        #expect(runner.calls("squeue") < 60)
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
            jobDirectory: root.url.appendingPathComponent("slurm"), runner: runner)
        let specs = try Self.tasks(2, in: root.url, command: "sleep 60")
        let recorder = ExecutionRecorder()
        let run = Task { try await executor.run(specs, onStart: { _, _ in }, onFinish: recorder.onFinish) }
        try await Task.sleep(for: .seconds(2))
        run.cancel()
        try await run.value

        #expect(specs.allSatisfy { recorder.outcome($0.id) == .cancelled })
        #expect(runner.calls("scancel") == 1)
        let queue = SlurmQueue(runner: SlurmCLI(), jobName: name)
        // scancel is asynchronous: give slurmctld a moment.
        try await Task.sleep(for: .seconds(1))
        let states = try #require(try? await queue.states().get())
        #expect(states.values.allSatisfy { $0.state.isFinal })
    }
}

/// Job ids as onSubmit reports them.
actor JobIDs {
    private(set) var all: [Int64: String] = [:]
    func add(_ task: Int64, _ job: String) { all[task] = job }
}
