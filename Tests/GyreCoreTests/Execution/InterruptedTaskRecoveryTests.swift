import Foundation
import Testing
@testable import GyreCore

@Suite("Interrupted task recovery", .serialized)
struct InterruptedTaskRecoveryTests {
    @Test func orphansAreKilledAndResetWithoutConsumingARetry() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let journal = try Journal.open(workdir: root.url)
        try journal.recordRun(workflowYAML: "name: r\n", fingerprint: "f")
        let iteration = try journal.beginIteration(index: 0, stageName: "s", stageIndex: 0)
        let step = try journal.beginStep(iteration: iteration.id, kind: .label)
        let tasks = try journal.addTasks(step: step.id, [
            TaskPlan(index: 0, name: "task.000", directory: ".", command: ["/bin/sh", "-c", "sleep 100 & sleep 100"]),
            TaskPlan(index: 1, name: "task.001", directory: ".", command: ["/bin/true"]),
            TaskPlan(index: 2, name: "task.002", directory: ".", command: ["/bin/true"]),
        ])
        // Task 1 was running under a process long gone; task 2 on a scheduler.
        try journal.markRunning(tasks[1].id, process: ProcessIdentity(pid: 999_999_999, startTime: 1))
        try journal.markRunning(tasks[2].id, process: nil, schedulerJobID: "4711")

        // Task 0 runs for real, journaled the way the loop does it, and is
        // then abandoned as if gyre had been killed.
        let spec = TaskSpec(id: tasks[0].id, directory: root.url, command: tasks[0].command)
        let executor = Task {
            await LocalExecutor(slots: 1).run([spec], onStart: { spec, identity in
                _ = try? journal.markRunning(spec.id, process: identity)
            }, onFinish: { _, _, _ in })
        }
        // Generous: under a parallel test run on 2 cores, a launch can take seconds.
        let deadline = ContinuousClock.now + .seconds(90)
        while try journal.task(tasks[0].id).state != .running, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let orphan = try #require(try journal.task(tasks[0].id).processIdentity)
        #expect(OrphanReaper.status(of: orphan) == .alive)

        let recovered = try await journal.recoverInterruptedLocalTasks()
        #expect(recovered.map(\.index) == [0, 1])
        #expect(OrphanReaper.status(of: orphan) == .gone)
        #expect(try journal.task(tasks[0].id).state == .pending)
        #expect(try journal.task(tasks[0].id).attempts == 0)
        #expect(try journal.task(tasks[2].id).state == .running)
        #expect(try journal.events(task: tasks[0].id).last?.detail?.contains("killed its leftover processes") == true)
        await executor.value
    }
}
