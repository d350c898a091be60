import Foundation
import Testing
@testable import GyreCore

@Suite("ShutdownSignal", .serialized)
struct ShutdownSignalTests {
    @Test func aSignalCancelsTheOperation() async throws {
        // SIGUSR1 rather than SIGINT so a stray delivery cannot stop the test runner.
        let shutdown = ShutdownSignal(signals: [SIGUSR1])
        let sawCancellation = try await shutdown.cancelling {
            Task.detached {
                try await Task.sleep(for: .milliseconds(100))
                kill(getpid(), SIGUSR1)
            }
            do {
                // Long: in the full run other tests can hold the cooperative threads
                // for minutes before the signalling task gets to run.
                try await Task.sleep(for: .seconds(900))
                return false
            } catch {
                return Task.isCancelled
            }
        }
        #expect(sawCancellation)
        #expect(shutdown.receivedSignal == SIGUSR1)
    }

    @Test func tasksDoNotInheritTheIgnoredSignals() async throws {
        // While watching, gyre ignores the signals' default action; a task
        // launched meanwhile must still die of SIGTERM, or teardown would
        // always wait out the grace period.
        let shutdown = ShutdownSignal(signals: [SIGUSR2])
        shutdown.start {}
        defer { shutdown.stop() }
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let spec = TaskSpec(id: 1, directory: root.url, command: ["/bin/sh", "-c", "grep SigIgn /proc/$$/status"])
        let recorder = ExecutionRecorder()
        await LocalExecutor(slots: 1).run([spec], onStart: recorder.onStart, onFinish: recorder.onFinish)
        let line = try String(contentsOf: spec.standardOutputURL, encoding: .utf8)
        let hex = try #require(line.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let ignored = try #require(UInt64(hex, radix: 16))
        #expect(ignored & (1 << UInt64(SIGUSR2 - 1)) == 0)
        // …while gyre itself has taken it over (ignored, or caught by
        // dispatch), so the check above means something.
        let own = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        func mask(_ field: String) throws -> UInt64 {
            let value = try #require(own.split(separator: "\n").first { $0.hasPrefix(field) }?.split(separator: "\t").last)
            return try #require(UInt64(value.trimmingCharacters(in: .whitespaces), radix: 16))
        }
        #expect((try mask("SigIgn:") | mask("SigCgt:")) & (1 << UInt64(SIGUSR2 - 1)) != 0)
    }
}
