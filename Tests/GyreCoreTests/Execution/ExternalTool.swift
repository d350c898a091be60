import Foundation
import Testing
@testable import GyreCore

/// Runs the tools the tests compare Gyre with (pw.x, cp2k, LAMMPS, bash,
/// Python) the way gyre runs a task — through its `TaskLauncher` — and awaits
/// their end. `Process.waitUntilExit()` in a test held one of the cooperative
/// pool's threads (a 2-core CI machine has two) for the tool's whole run, and
/// the async tests (executors, Slurm polls) stalled behind it for minutes.
enum ExternalTool {
    struct Finished {
        var outcome: TaskOutcome
        var stdout: String
        var stderr: String

        var succeeded: Bool { outcome.isSuccess }
        /// The outcome and what the tool printed, for a failure's message.
        var report: String { "\(outcome)\n\(stdout)\n\(stderr)" }
    }

    /// Runs `program` (a path, or a name looked up in PATH) with `arguments`
    /// in `directory`, which receives its `stdout.log` and `stderr.log`;
    /// without one, in a scratch directory removed afterwards. The environment
    /// is the tests' own plus `environment`. Past `limit` the tool's process
    /// group is stopped and the outcome is `.timedOut`, so a hung tool fails
    /// its test instead of holding the suite.
    static func run(
        _ program: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        limit: Duration = .seconds(900)
    ) async throws -> Finished {
        if let directory {
            return await run(program, arguments, at: directory, environment: environment, limit: limit)
        }
        let scratch = try TemporaryDirectory("tool")
        defer { scratch.remove() }
        return await run(program, arguments, at: scratch.url, environment: environment, limit: limit)
    }

    private static func run(
        _ program: String, _ arguments: [String], at directory: URL, environment: [String: String], limit: Duration
    ) async -> Finished {
        let spec = TaskSpec(id: 0, directory: directory, command: [program] + arguments, environment: environment, timeout: limit)
        let (outcome, _) = await TaskLauncher(gracePeriod: .seconds(5)).run(spec) { _, _ in }
        func text(_ url: URL) -> String { (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        return Finished(outcome: outcome, stdout: text(spec.standardOutputURL), stderr: text(spec.standardErrorURL))
    }

    /// The first Python that imports `modules` (comma-separated, as in an
    /// `import` line): $GYRE_PYTHON, else the repository's .venv.
    static func python(importing modules: String) async -> String? {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["GYRE_PYTHON"] { candidates.append(p) }
        candidates.append(DFTTest.repoRoot.appendingPathComponent(".venv/bin/python").path)
        for p in candidates where FileManager.default.isExecutableFile(atPath: p) {
            if (try? await run(p, ["-c", "import \(modules)"]))?.succeeded == true { return p }
        }
        return nil
    }
}
