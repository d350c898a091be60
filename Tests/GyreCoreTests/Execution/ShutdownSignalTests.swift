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
                try await Task.sleep(for: .seconds(30))
                return false
            } catch {
                return Task.isCancelled
            }
        }
        #expect(sawCancellation)
        #expect(shutdown.receivedSignal == SIGUSR1)
    }
}
