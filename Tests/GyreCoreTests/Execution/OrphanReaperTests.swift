import Foundation
import Testing
@testable import GyreCore

@Suite("OrphanReaper", .serialized)
struct OrphanReaperTests {
    @Test func parsesProcStatWithAwkwardCommandNames() throws {
        let line = "1234 (a) b (c) S 1 1200 1200 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 10 18446744073709551615"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.state == "S")
        #expect(stat.processGroup == 1200)
        #expect(stat.startTime == 98765)
        #expect(ProcStat.parse("garbage") == nil)
    }

    @Test func ownProcessIsAliveAndAWrongStartTimeIsRecycled() throws {
        let me = try #require(ProcessIdentity.of(pid: getpid()))
        #expect(me.startTime > 0)
        #expect(OrphanReaper.status(of: me) == .alive)
        #expect(OrphanReaper.status(of: ProcessIdentity(pid: me.pid, startTime: me.startTime + 1)) == .recycled)
    }

    @Test func detectsAndKillsAnOrphanedTaskGroup() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        // Start a task, record its identity as the journal would, then cancel
        // gyre's side only after noting it: simulate the orphan by finding the
        // group alive while the executor still runs, and killing it from outside.
        let recorder = ExecutionRecorder()
        let spec = TaskSpec(id: 1, directory: root.url, command: ["/bin/sh", "-c", "sleep 100 & sleep 100"])
        let run = Task {
            await LocalExecutor(slots: 1).run([spec], onStart: recorder.onStart, onFinish: recorder.onFinish)
        }
        // Started when the executor says so: 250 polls of 20 ms (5 s) was too
        // short a wait on a loaded machine, where starting a child took over 10 s.
        let deadline = ContinuousClock.now + .seconds(120)
        while recorder.starts[1] == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let recorded = try #require(recorder.starts[1], "the task never started")
        #expect(OrphanReaper.status(of: recorded) == .alive)
        #expect(OrphanReaper.livingMembers(ofGroup: recorded.pid).count >= 2)

        // The group leader is gone once the executor reaps it; allow for a loaded machine.
        #expect(await OrphanReaper.kill(recorded, wait: .seconds(120)))
        #expect(OrphanReaper.status(of: recorded) == .gone)
        await run.value
        #expect(recorder.outcome(1) == .signalled(SIGKILL))
        // Killing what is gone is harmless.
        #expect(await OrphanReaper.kill(recorded))
    }

    @Test func aDeadPidIsGone() {
        // PIDs above pid_max never exist.
        #expect(OrphanReaper.status(of: ProcessIdentity(pid: 999_999_999, startTime: 5)) == .gone)
    }
}
