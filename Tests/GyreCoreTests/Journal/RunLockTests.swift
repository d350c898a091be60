import Foundation
import Subprocess
import Testing
@testable import GyreCore

@Suite("RunLock", .serialized)
struct RunLockTests {
    @Test func aSecondHolderIsRefusedAndTheLockIsReleased() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lock = try RunLock.acquire(workdir: dir.url)
        #expect(RunLock.recordedHolder(workdir: dir.url) == getpid())
        let error = #expect(throws: GyreError.self) { try RunLock.acquire(workdir: dir.url) }
        #expect(error?.code == .journal)
        #expect(error?.message.contains("process \(getpid())") == true)
        lock.release()
        let again = try RunLock.acquire(workdir: dir.url)
        again.release()
    }

    @Test func anotherProcessHoldingTheLockIsNamedAndADeadOneIsTakenOver() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lockPath = dir.url.appendingPathComponent(RunLock.fileName).path
        let readyPath = dir.url.appendingPathComponent("ready").path
        // A child writes its PID the way gyre does, then holds the flock
        // (`exec` keeps the PID; -o keeps the lock out of flock's own child)
        // and says it is ready. Spawned with swift-subprocess, in its own
        // session, so the whole group can be killed.
        var options = PlatformOptions()
        options.createSession = true
        let script = "echo $$ > '\(lockPath)'; exec flock -o -x '\(lockPath)' sh -c 'touch \(readyPath); exec sleep 60'"
        let result = try await Subprocess.run(
            .path("/bin/sh"), arguments: ["-c", script], platformOptions: options,
            input: .none, output: .discarded, error: .discarded
        ) { execution in
            let holder = execution.processIdentifier.value
            // Generous: on a loaded 2-core machine starting the child has taken over 10 s.
            let deadline = ContinuousClock.now + .seconds(120)
            while !FileManager.default.fileExists(atPath: readyPath), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(FileManager.default.fileExists(atPath: readyPath), "the lock holder never became ready")
            let error = #expect(throws: GyreError.self) { try RunLock.acquire(workdir: dir.url) }
            #expect(error?.message.contains("process \(holder)") == true)
            // The holder dies without releasing anything.
            try execution.send(signal: .kill, toProcessGroup: true)
        }
        #expect(result.terminationStatus == .signaled(SIGKILL))

        // flock dies with its holder: the stale lock is taken over.
        let lock = try RunLock.acquire(workdir: dir.url)
        #expect(RunLock.recordedHolder(workdir: dir.url) == getpid())
        lock.release()
    }
}
