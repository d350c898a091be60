import Foundation
import Synchronization
@testable import GyreCore

/// Collects executor callbacks across tasks, for assertions.
final class ExecutionRecorder: Sendable {
    struct Finish: Sendable {
        var spec: TaskSpec
        var outcome: TaskOutcome
        var elapsed: Duration
    }

    private let state = Mutex<(starts: [Int64: ProcessIdentity], finishes: [Int64: Finish])>(([:], [:]))

    var starts: [Int64: ProcessIdentity] { state.withLock { $0.starts } }
    var finishes: [Int64: Finish] { state.withLock { $0.finishes } }

    func outcome(_ id: Int64) -> TaskOutcome? { finishes[id]?.outcome }

    var onStart: @Sendable (TaskSpec, ProcessIdentity) async -> Void {
        { spec, identity in self.state.withLock { $0.starts[spec.id] = identity } }
    }

    var onFinish: @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void {
        { spec, outcome, elapsed in
            self.state.withLock { $0.finishes[spec.id] = Finish(spec: spec, outcome: outcome, elapsed: elapsed) }
        }
    }
}
