import Foundation
import GyreCore

/// Runs the programs the tests need beside gyre (pw.x, cp2k, LAMMPS, bash,
/// Python, the Slurm clients) the way gyre runs a task — through its
/// `TaskLauncher` — and awaits their end. `Process.waitUntilExit()` in a test
/// held one of the cooperative pool's threads (a 2-core CI machine has two)
/// for the program's whole run, and the async tests (executors, Slurm polls)
/// stalled behind it for minutes.
public enum ExternalTool {
    public struct Finished: Sendable {
        public var outcome: TaskOutcome
        public var stdout: String
        public var stderr: String

        public var succeeded: Bool { outcome.isSuccess }
        /// The outcome and what the program printed, for a failure's message.
        public var report: String { "\(outcome)\n\(stdout)\n\(stderr)" }
    }

    /// Runs `program` (a path, or a name looked up in PATH) with `arguments`
    /// in `directory`, which receives its `stdout.log` and `stderr.log`;
    /// without one, in a scratch directory removed afterwards. The environment
    /// is the tests' own plus `environment`. Past `limit` the program's process
    /// group is stopped and the outcome is `.timedOut`, so a hung program fails
    /// its test instead of holding the suite.
    public static func run(
        _ program: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        limit: Duration = .seconds(900)
    ) async throws -> Finished {
        if let directory {
            return await run(program, arguments, at: directory, environment: environment, limit: limit)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        return await run(program, arguments, at: scratch, environment: environment, limit: limit)
    }

    private static func run(
        _ program: String, _ arguments: [String], at directory: URL, environment: [String: String], limit: Duration
    ) async -> Finished {
        let spec = TaskSpec(id: 0, directory: directory, command: [program] + arguments, environment: environment, timeout: limit)
        let (outcome, _) = await TaskLauncher(gracePeriod: .seconds(5)).run(spec) { _, _ in }
        func text(_ url: URL) -> String { (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        return Finished(outcome: outcome, stdout: text(spec.standardOutputURL), stderr: text(spec.standardErrorURL))
    }
}
