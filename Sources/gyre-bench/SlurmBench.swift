import ArgumentParser
import Foundation
import GyreCore

extension Bench {
    /// Many short tasks through Gyre's Slurm executor; the scheduler calls are
    /// counted outside (Benchmarks/slurm_vs_dpdispatcher.sh puts counting
    /// wrappers of sbatch/squeue on PATH) and compared with dpdispatcher.
    struct Slurm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run N short tasks (`true`) as Slurm jobs through Gyre's executor and print the wall time.")

        @Option(help: "Tasks.") var tasks = 500
        @Option(help: "Seconds between polls (squeue).") var poll = 1.0
        @Option(help: "Most jobs (array elements) queued at once.") var maxQueued = 1000
        @Option(help: "Tasks per job (array element).") var groupSize = 1
        @Option(help: "Directory for the task directories (default: a new temp dir, removed at the end).") var dir: String?

        func run() async throws {
            let work = dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("gyre-bench-slurm-\(UUID().uuidString.prefix(8))")
            defer { if dir == nil { try? FileManager.default.removeItem(at: work) } }
            let specs = try (0..<tasks).map { i in
                let directory = work.appendingPathComponent(String(format: "task.%04d", i))
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                return TaskSpec(id: Int64(i), directory: directory, command: ["true"])
            }
            let executor = SlurmExecutor(
                settings: SlurmSettings(groupSize: groupSize, maxQueued: maxQueued, pollSeconds: poll),
                jobName: "gyre-bench", jobDirectory: work.appendingPathComponent("slurm"),
                note: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
            let failures = FailureCount()
            let clock = ContinuousClock()
            let started = clock.now
            try await executor.run(specs, onStart: { _, _ in }, onFinish: { _, outcome, _ in
                if !outcome.isSuccess { await failures.add() }
            })
            let wall = clock.now - started
            let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
            let failed = await failures.value
            print(String(format: "gyre: %d tasks in %.1f s (%d failed)", tasks, seconds, failed))
            print(String(format: "WALL=%.2f", seconds))
        }
    }
}

/// Tasks that did not exit 0.
actor FailureCount {
    private(set) var value = 0
    func add() { value += 1 }
}
