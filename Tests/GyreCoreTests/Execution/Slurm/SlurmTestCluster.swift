import Foundation
import Synchronization
import Testing
@testable import GyreCore

/// The local Slurm the cluster tests run against (Tests/Scripts/slurm-cluster.sh).
enum SlurmTestCluster {
    static let skipMessage: Comment = "install slurm-wlm munge and start Tests/Scripts/slurm-cluster.sh"

    /// Whether `sinfo` answers, asked once through gyre's own Slurm client
    /// (awaited: a test waiting on a child never holds a thread). When
    /// SLURM_CONF is unset, the conf the project's script writes by default
    /// is used if it exists.
    static let available = Task {
        let defaultConf = "/tmp/gyre-slurm/slurm.conf"
        if ProcessInfo.processInfo.environment["SLURM_CONF"] == nil, FileManager.default.fileExists(atPath: defaultConf) {
            setenv("SLURM_CONF", defaultConf, 1)
        }
        let answer = await SlurmCLI().run("sinfo", ["--noheader", "--format=%t"])
        return answer.succeeded && !answer.output.isEmpty
    }

    /// A job name of its own per test, so tests never see each other's jobs.
    static func jobName() -> String { "gyre-test-\(UUID().uuidString.prefix(8))" }

    static func settings(
        array: Bool = true, throttle: Int? = nil, groupSize: Int = 1, maxQueued: Int = 200, time: String? = nil,
        extra: [String] = []
    ) -> SlurmSettings {
        SlurmSettings(
            partition: nil, account: nil, qos: nil, time: time, nodes: nil, ntasks: nil, cpusPerTask: nil, gpus: nil,
            memory: nil, array: array, arrayThrottle: throttle, groupSize: groupSize, maxQueued: maxQueued,
            pollSeconds: 0.3, extra: extra, setup: [])
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite only where the local test cluster answers.
    static var needsSlurmTestCluster: Self {
        .enabled(SlurmTestCluster.skipMessage) { await SlurmTestCluster.available.value }
    }
}

/// The real Slurm commands, counted, with every squeue answer kept.
final class RecordingSlurmRunner: SlurmCommandRunner {
    private let state = Mutex<(calls: [String: Int], squeue: [String])>(([:], []))
    private let real = SlurmCLI()

    func run(_ program: String, _ arguments: [String]) async -> SlurmCommandResult {
        let result = await real.run(program, arguments)
        state.withLock {
            $0.calls[program, default: 0] += 1
            if program == "squeue", result.succeeded { $0.squeue.append(result.output) }
        }
        return result
    }

    func calls(_ program: String) -> Int { state.withLock { $0.calls[program] ?? 0 } }
    var squeueAnswers: [String] { state.withLock { $0.squeue } }

    /// The most jobs (array elements) any squeue answer showed queued or running.
    var mostUnfinished: Int {
        squeueAnswers.map { SlurmQueue.parse($0, separator: "|").values.filter { !$0.state.isFinal }.count }.max() ?? 0
    }
}
