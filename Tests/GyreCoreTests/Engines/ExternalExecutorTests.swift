import Foundation
import Synchronization
import Testing
@testable import GyreCore

/// Labels that return from elsewhere: the external executor waits for outputs
/// its adapter accepts, in any order, and keeps waiting past a bad one.
@Suite struct ExternalExecutorTests {
    /// What the executor reported, in order.
    final class Events: Sendable {
        let log = Mutex<[String]>([])
        func add(_ s: String) { log.withLock { $0.append(s) } }
        var all: [String] { log.withLock { $0 } }

        /// Waits until an event starts with `prefix`, for at most `limit`
        /// (only a failing executor makes it expire).
        func seen(_ prefix: String, limit: Duration = .seconds(120)) async throws {
            let deadline = ContinuousClock.now + limit
            while !all.contains(where: { $0.hasPrefix(prefix) }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(all.contains { $0.hasPrefix(prefix) }, "never saw \"\(prefix)\": \(all)")
        }
    }

    @Test func waitsForAcceptedOutputsInAnyOrderAndSkipsBadOnes() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let input = try String(contentsOf: try DFTTest.fixture("qe/si2.in"), encoding: .utf8)
        let good = try String(contentsOf: try DFTTest.fixture("qe/si2.out"), encoding: .utf8)
        let unconverged = try String(contentsOf: try DFTTest.fixture("qe/si2-maxstep1.out"), encoding: .utf8)
        let adapter = try QELabelAdapter(settings: DFTTest.siSettings(), elements: ["Si"], masses: [:])
        let specs = try (0..<3).map { i -> TaskSpec in
            let task = dir.file("task.00\(i)")
            try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
            _ = try dir.write(input, to: "task.00\(i)/pw.in")
            return TaskSpec(id: Int64(i), directory: task, command: adapter.command)
        }
        let events = Events()
        let executor = ExternalExecutor(
            pollSeconds: 0.05, accept: { adapter.rejection($0) },
            markWaiting: { events.add("waiting \($0)") }, note: { events.add("note \($0)") })
        // Outputs arrive later, elsewhere: task 2 first, task 0 first bad then
        // replaced, task 1 last. Each arrives once the executor has dealt with
        // the one before: fixed delays let a late poll see two at once (a
        // loaded machine can hold a poll back for seconds), which would change
        // the order, or never see the bad output before its replacement.
        let run = Task {
            try await executor.run(specs, onStart: { _, _ in events.add("started") },
                                   onFinish: { spec, outcome, _ in events.add("finished \(spec.id) \(outcome)") })
        }
        do {
            try await events.seen("waiting 2")
            _ = try dir.write(good, to: "task.002/pw.out")
            try await events.seen("finished 2")
            _ = try dir.write(unconverged, to: "task.000/pw.out")
            try await events.seen("note task.000: outputs refused")
            _ = try dir.write(good, to: "task.000/pw.out")
            try await events.seen("finished 0")
            _ = try dir.write(good, to: "task.001/pw.out")
        } catch {
            run.cancel()  // it would wait for ever for the outputs that did not come
            throw error
        }
        try await run.value
        let log = events.all
        #expect(Array(log.prefix(3)) == ["waiting 0", "waiting 1", "waiting 2"])
        #expect(log.filter { $0.hasPrefix("finished") } == ["finished 2 exited with status 0", "finished 0 exited with status 0",
                                                           "finished 1 exited with status 0"])
        #expect(log.contains { $0.hasPrefix("note task.000: outputs refused, still waiting: SCF not converged") })
        #expect(!log.contains("started"))
    }

    @Test func cancellationLeavesTasksWaiting() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = Events()
        let executor = ExternalExecutor(pollSeconds: 0.05, accept: { _ in "no output" },
                                        markWaiting: { events.add("waiting \($0)") }, note: { events.add($0) })
        let run = Task {
            try await executor.run([TaskSpec(id: 7, directory: dir.url, command: ["true"])], onStart: { _, _ in },
                                   onFinish: { _, _, _ in events.add("finished") })
        }
        // Cancelled while it waits, not before it began.
        try await events.seen("waiting 7")
        run.cancel()
        try await run.value
        #expect(events.all == ["waiting 7"])
    }
}
