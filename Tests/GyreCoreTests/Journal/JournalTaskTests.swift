import Foundation
import GRDB
import Testing
@testable import GyreCore

@Suite("Journal tasks")
struct JournalTaskTests {
    /// A journal with a run, iteration 0 and its explore step.
    private func fixture() throws -> (Journal, StepRecord) {
        let journal = try Journal.inMemory()
        try journal.recordRun(workflowYAML: "name: t\n", fingerprint: "abc")
        let iteration = try journal.beginIteration(index: 0, stageName: "warm", stageIndex: 0)
        let step = try journal.beginStep(iteration: iteration.id, kind: .explore)
        return (journal, step)
    }

    private func plans(_ count: Int) -> [TaskPlan] {
        (0 ..< count).map {
            TaskPlan(index: $0, name: "task.\($0)", directory: "iter.000/explore/task.\($0)", command: ["gyre", "engine", "md", "--seed", "\($0)"])
        }
    }

    @Test func recordRunIsIdempotentAndRefusesAnotherFingerprint() throws {
        let journal = try Journal.inMemory()
        #expect(try journal.run() == nil)
        let first = try journal.recordRun(workflowYAML: "name: x\n", fingerprint: "f1")
        let again = try journal.recordRun(workflowYAML: "name: x\n", fingerprint: "f1")
        #expect(first == again)
        #expect(try journal.run()?.workflowYAML == "name: x\n")
        let error = #expect(throws: GyreError.self) {
            try journal.recordRun(workflowYAML: "name: y\n", fingerprint: "f2")
        }
        #expect(error?.code == .journal)
    }

    @Test func beginIterationAndStepAreIdempotent() throws {
        let (journal, step) = try fixture()
        let iteration = try journal.beginIteration(index: 0, stageName: "warm", stageIndex: 0)
        #expect(try journal.beginStep(iteration: iteration.id, kind: .explore) == step)
        #expect(try journal.iterations().count == 1)
        #expect(throws: GyreError.self) { try journal.beginIteration(index: 0, stageName: "hot", stageIndex: 1) }
    }

    @Test func addTasksIsIdempotent() throws {
        let (journal, step) = try fixture()
        let first = try journal.addTasks(step: step.id, plans(3))
        try journal.markRunning(first[1].id, process: ProcessIdentity(pid: 4242, startTime: 99))
        // Resuming re-plans 5 tasks: the 3 known ones come back as they are.
        let second = try journal.addTasks(step: step.id, plans(5))
        #expect(second.count == 5)
        #expect(Array(second.prefix(3)).map(\.id) == first.map(\.id))
        #expect(second[1].state == .running)
        #expect(second[1].command == ["gyre", "engine", "md", "--seed", "1"])
        #expect(try journal.tasks(step: step.id).count == 5)
        #expect(try journal.events(task: first[0].id).count == 1)

        var moved = plans(1)
        moved[0].directory = "elsewhere"
        #expect(throws: GyreError.self) { try journal.addTasks(step: step.id, moved) }
    }

    @Test func doneIsFinal() throws {
        let (journal, step) = try fixture()
        let task = try #require(try journal.addTasks(step: step.id, plans(1)).first)
        try journal.markRunning(task.id, process: ProcessIdentity(pid: 10, startTime: 1))
        try journal.markDone(task.id, exitStatus: 0)
        for attempt in [
            { _ = try journal.markFailed(task.id, reason: "late") },
            { _ = try journal.resetToPending(task.id, reason: "retry") },
            { _ = try journal.markRunning(task.id, process: nil) },
            { _ = try journal.markWaiting(task.id) },
            { _ = try journal.markDone(task.id) },
        ] as [() throws -> Void] {
            let error = #expect(throws: GyreError.self) { try attempt() }
            #expect(error?.code == .journal)
        }
        #expect(try journal.task(task.id).state == .done)
        // The file itself refuses too, whoever writes to it.
        #expect(throws: (any Error).self) {
            try journal.database.write { db in
                try db.execute(sql: "UPDATE task SET state = 'pending' WHERE id = ?", arguments: [task.id])
            }
        }
    }

    @Test func everyTransitionIsLogged() throws {
        let (journal, step) = try fixture()
        let task = try #require(try journal.addTasks(step: step.id, plans(1)).first)
        try journal.markRunning(task.id, process: ProcessIdentity(pid: 10, startTime: 1))
        try journal.markFailed(task.id, reason: "exit 3", exitStatus: 3)
        let retried = try journal.resetToPending(task.id, reason: "retry 1")
        #expect(retried.attempts == 1)
        #expect(retried.failureReason == "exit 3")
        try journal.markWaiting(task.id, detail: "inputs emitted")
        try journal.markRunning(task.id, process: nil, schedulerJobID: "777")
        try journal.resetToPending(task.id, reason: "gyre was killed", consumesAttempt: false)
        try journal.markRunning(task.id, process: ProcessIdentity(pid: 11, startTime: 2))
        let done = try journal.markDone(task.id, exitStatus: 0)
        #expect(done.attempts == 1)
        #expect(done.processIdentity == ProcessIdentity(pid: 11, startTime: 2))

        let events = try journal.events(task: task.id)
        let moves = events.map { "\($0.fromState?.rawValue ?? "-")>\($0.toState.rawValue)" }
        #expect(moves == [
            "->pending", "pending>running", "running>failed", "failed>pending", "pending>waiting",
            "waiting>running", "running>pending", "pending>running", "running>done",
        ])
        #expect(events[2].detail == "exit 3")
        #expect(throws: (any Error).self) {
            try journal.database.write { try $0.execute(sql: "DELETE FROM task_event") }
        }
    }

    @Test func illegalTransitionsAreRejected() throws {
        let (journal, step) = try fixture()
        let task = try #require(try journal.addTasks(step: step.id, plans(1)).first)
        #expect(throws: GyreError.self) { try journal.resetToPending(task.id, reason: "nothing to retry") }
        try journal.markFailed(task.id, reason: "bad input")
        #expect(throws: GyreError.self) { try journal.markRunning(task.id, process: nil) }
        #expect(throws: GyreError.self) { try journal.markDone(task.id) }
        #expect(throws: GyreError.self) { try journal.markDone(123_456) }
    }

    @Test func queriesAndStatus() throws {
        let (journal, step) = try fixture()
        let tasks = try journal.addTasks(step: step.id, plans(4))
        try journal.markRunning(tasks[0].id, process: nil)
        try journal.markDone(tasks[0].id)
        try journal.markFailed(tasks[1].id, reason: "SCF not converged")
        try journal.markFailed(tasks[2].id, reason: "timed out")
        try journal.resetToPending(tasks[2].id, reason: "retry")

        #expect(try journal.tasks(step: step.id, in: [.pending]).map(\.index) == [2, 3])
        #expect(try journal.taskCounts(step: step.id) == [.done: 1, .failed: 1, .pending: 2])
        let failure = try #require(try journal.lastFailure())
        #expect(failure.task.id == tasks[2].id)
        #expect(failure.reason == "timed out")

        let iteration = try journal.beginIteration(index: 0, stageName: "warm", stageIndex: 0)
        try journal.setSummary(["accurate": 0.9], ofIteration: iteration.id)
        let status = try journal.status()
        #expect(status.run?.fingerprint == "abc")
        #expect(status.iteration?.stageName == "warm")
        #expect(status.step?.kind == .explore)
        #expect(status.stepTaskCounts[.pending] == 2)
        #expect(status.totalTaskCounts[.done] == 1)
        #expect(try status.iteration?.decodedSummary(as: [String: Double].self) == ["accurate": 0.9])

        let label = try journal.beginStep(iteration: iteration.id, kind: .label)
        #expect(try journal.status().step?.id == label.id)
        try journal.finishStep(label.id)
        #expect(try journal.finishIteration(iteration.id).state == .done)
    }

    @Test func aConcurrentReaderSeesProgress() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Journal.open(workdir: dir.url)
        try writer.recordRun(workflowYAML: "name: r\n", fingerprint: "f")
        let step = try writer.beginStep(iteration: writer.beginIteration(index: 0, stageName: "s", stageIndex: 0).id, kind: .label)
        let tasks = try writer.addTasks(step: step.id, plans(20))

        let reader = try Journal.openForReading(workdir: dir.url)
        #expect(try reader.taskCounts(step: step.id) == [.pending: 20])
        // The reader keeps reading while the writer finishes tasks.
        let finishing = Task {
            for task in tasks {
                try writer.markRunning(task.id, process: nil)
                try writer.markDone(task.id)
            }
        }
        var seen: [Int] = []
        while seen.last != 20 {
            seen.append(try reader.taskCounts(step: step.id)[.done] ?? 0)
            await Task.yield()
        }
        try await finishing.value
        #expect(seen == seen.sorted())
        #expect(throws: (any Error).self) { try reader.beginIteration(index: 7, stageName: "s", stageIndex: 0) }
    }
}
