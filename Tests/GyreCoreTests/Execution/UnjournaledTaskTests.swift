import Foundation
import Testing
@testable import GyreCore

/// A gyre killed between spawning a task's command and journaling its PID
/// leaves a process the journal does not name. Seen in the crash test: such
/// an MD copy finished after the task was relaunched, its model_devi.out and
/// md.done vouched for the rerun's truncated trajectory, and the resumed run
/// selected different frames.
@Suite("Unjournaled task processes", .serialized)
struct UnjournaledTaskTests {
    /// Starts `script` in `directory`, carrying the marker a task launched
    /// there carries: what a killed gyre leaves behind.
    private static func leftover(_ script: String, in directory: URL, markedFor marked: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        // Not the test's pipes: a survivor holding them would keep the test run waiting.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment[TaskMarker.variable] = TaskMarker.value(for: marked)
        process.environment = environment
        try process.run()
        return process
    }

    private static func ended(_ process: Process, within limit: Duration = .seconds(120)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }

    @Test func everyLaunchedTaskCarriesItsDirectoryAsMarker() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let dir = root.url.appendingPathComponent("task.000")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A spec's own environment cannot drop the marker.
        let spec = TaskSpec(id: 1, directory: dir, command: ["/bin/sh", "-c", "printenv \(TaskMarker.variable) > marker"],
                            environment: [TaskMarker.variable: "/elsewhere"])
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 1).run([spec], onStart: recorder.onStart, onFinish: recorder.onFinish)
        #expect(recorder.outcome(1) == .exited(status: 0))
        let marker = try String(contentsOf: dir.appendingPathComponent("marker"), encoding: .utf8)
        #expect(marker == TaskMarker.value(for: dir) + "\n")
    }

    @Test(.timeLimit(.minutes(5)))
    func aLeftoverCopyIsStoppedBeforeItsTaskRunsAgain() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let (journal, tasks) = try PendingStepFixture.step(root.url, kind: .explore, count: 1, command: "echo rerun > result; touch done")
        let taskDirectory = root.url.appendingPathComponent(tasks[0].directory)
        // The copy a killed gyre left: still pending in the journal, it would
        // overwrite the rerun's result a few seconds after the rerun finished.
        let leftover = try Self.leftover("sleep 3; echo leftover > result", in: taskDirectory, markedFor: taskDirectory)
        // Marked for a directory of no task of this step: not this step's to stop.
        let other = root.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let unrelated = try Self.leftover("sleep 300", in: other, markedFor: other)

        let runner = StepRunner(
            journal: journal, layout: WorkdirLayout(root: root.url), executor: LocalExecutor(slots: 1), retries: 0,
            timeout: nil,
            accept: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("done").path) ? nil : "no done file" },
            progress: ProgressLog(level: .quiet), label: "test")
        let finished = try await runner.run(tasks)
        let unrelatedSurvived = unrelated.isRunning
        let cleanup = await OrphanReaper.killMarked(inDirectories: [other])
        #expect(cleanup.found >= 1 && cleanup.living.isEmpty)
        #expect(unrelatedSurvived)
        #expect(finished.map(\.state) == [.done])

        #expect(await Self.ended(leftover), "the leftover copy still runs")
        #expect(leftover.terminationReason == .uncaughtSignal && leftover.terminationStatus == SIGKILL)
        let result = try String(contentsOf: taskDirectory.appendingPathComponent("result"), encoding: .utf8)
        #expect(result == "rerun\n")
    }
}
