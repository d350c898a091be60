import Foundation
import Testing
@testable import GyreCore

@Suite("LocalExecutor", .serialized)
struct LocalExecutorTests {
    private func taskDirectory(_ root: URL, _ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func shell(_ id: Int64, _ dir: URL, _ script: String, timeout: Duration? = nil) -> TaskSpec {
        TaskSpec(id: id, directory: dir, command: ["/bin/sh", "-c", script], timeout: timeout)
    }

    /// Waits until `condition` holds, polling, for at most `limit`.
    private func eventually(_ limit: Duration = .seconds(120), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func respectsTheSlotCount() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        var specs: [TaskSpec] = []
        for id in 0 ..< 6 {
            let dir = try taskDirectory(root.url, "task.\(id)")
            // Each task waits (up to 60 s) until two have begun, so the first two
            // overlap however slowly a loaded machine starts them; the peak
            // then tests the slot limit, not the machine's speed.
            specs.append(shell(Int64(id), dir, """
                date +%s%N > begin; i=0
                while [ "$(ls ../*/begin | wc -l)" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
                sleep 0.3; date +%s%N > end
                """))
        }
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 2).run(specs, onStart: recorder.onStart, onFinish: recorder.onFinish)

        var intervals: [(Int64, Int64)] = []
        for spec in specs {
            #expect(recorder.outcome(spec.id) == .exited(status: 0))
            func stamp(_ name: String) throws -> Int64 {
                let text = try String(contentsOf: spec.directory.appendingPathComponent(name), encoding: .utf8)
                return try #require(Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            intervals.append((try stamp("begin"), try stamp("end")))
        }
        // Largest number of tasks running at one instant.
        var events: [(time: Int64, change: Int)] = []
        for (begin, end) in intervals {
            events.append((begin, 1))
            events.append((end, -1))
        }
        // At equal times count the ends first: touching intervals do not overlap.
        events.sort { lhs, rhs in lhs.time == rhs.time ? lhs.change < rhs.change : lhs.time < rhs.time }
        var running = 0
        var peak = 0
        for event in events {
            running += event.change
            peak = max(peak, running)
        }
        #expect(peak == 2)
    }

    @Test func outputGoesToLogFilesAndNonZeroExitIsAnOutcome() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let dir = try taskDirectory(root.url, "label")
        var spec = shell(7, dir, "echo out-$GYRE_TEST_VALUE; echo err >&2; pwd; exit 3")
        spec.environment = ["GYRE_TEST_VALUE": "42"]
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 1).run([spec], onStart: recorder.onStart, onFinish: recorder.onFinish)

        #expect(recorder.outcome(7) == .exited(status: 3))
        let identity = try #require(recorder.starts[7])
        #expect(identity.pid > 0 && identity.startTime > 0)
        let out = try String(contentsOf: spec.standardOutputURL, encoding: .utf8)
        #expect(out.hasPrefix("out-42\n"))
        #expect(out.hasSuffix("/label\n"))
        #expect(try String(contentsOf: spec.standardErrorURL, encoding: .utf8) == "err\n")
    }

    @Test func signalledCommandIsReported() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 1).run(
            [shell(1, root.url, "kill -KILL $$")], onStart: recorder.onStart, onFinish: recorder.onFinish
        )
        #expect(recorder.outcome(1) == .signalled(SIGKILL))
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        // The background grandchild ignores SIGTERM, so only the group SIGKILL ends it.
        let spec = shell(1, root.url, "(trap '' TERM; exec sleep 100) & echo $! > grandchild.pid; sleep 100", timeout: .seconds(5))
        let recorder = ExecutionRecorder()
        let clock = ContinuousClock()
        let started = clock.now
        await LocalExecutor(slots: 1, gracePeriod: .milliseconds(300)).run(
            [spec], onStart: recorder.onStart, onFinish: recorder.onFinish
        )
        #expect(clock.now - started < .seconds(90), "it must not wait out the sleep 100")
        #expect(recorder.outcome(1) == .timedOut)

        let leader = try #require(recorder.starts[1])
        let grandchildText = try String(contentsOf: root.url.appendingPathComponent("grandchild.pid"), encoding: .utf8)
        let grandchild = try #require(Int32(grandchildText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await eventually { OrphanReaper.livingMembers(ofGroup: leader.pid).isEmpty })
        #expect(await eventually { ProcessIdentity.of(pid: grandchild) == nil })
        #expect(OrphanReaper.status(of: leader) == .gone)
    }

    @Test func cancellationKillsRunningGroupsAndStartsNothingNew() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let specs = try (0 ..< 4).map { id in
            shell(Int64(id), try taskDirectory(root.url, "t\(id)"), "sleep 100 & sleep 100")
        }
        let recorder = ExecutionRecorder()
        let run = Task {
            await LocalExecutor(slots: 2, gracePeriod: .milliseconds(300)).run(
                specs, onStart: recorder.onStart, onFinish: recorder.onFinish
            )
        }
        #expect(await eventually { recorder.starts.count == 2 })
        run.cancel()
        await run.value

        #expect(recorder.starts.count == 2)
        #expect(recorder.finishes.count == 2)
        for (id, identity) in recorder.starts {
            #expect(recorder.outcome(id) == .cancelled)
            #expect(await eventually { OrphanReaper.livingMembers(ofGroup: identity.pid).isEmpty })
        }
    }

    @Test(arguments: [
        ["/no/such/program"],
        ["gyre-no-such-program-on-path"],
        [],
    ])
    func launchFailureIsAnOutcome(command: [String]) async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 1).run(
            [TaskSpec(id: 9, directory: root.url, command: command)], onStart: recorder.onStart, onFinish: recorder.onFinish
        )
        guard case .launchFailed = recorder.outcome(9) else {
            Issue.record("expected launchFailed, got \(String(describing: recorder.outcome(9)))")
            return
        }
        #expect(recorder.starts.isEmpty)
    }

    @Test func missingDirectoryIsALaunchFailure() async throws {
        let recorder = ExecutionRecorder()
        let spec = TaskSpec(id: 1, directory: URL(fileURLWithPath: "/nonexistent/gyre/task"), command: ["/bin/true"])
        await LocalExecutor(slots: 1).run([spec], onStart: recorder.onStart, onFinish: recorder.onFinish)
        guard case .launchFailed(let reason) = recorder.outcome(1) else {
            Issue.record("expected launchFailed")
            return
        }
        #expect(reason.contains("/nonexistent/gyre/task"))
    }
}
