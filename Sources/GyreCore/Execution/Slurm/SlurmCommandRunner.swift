import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// What a scheduler command printed and how it exited.
struct SlurmCommandResult: Sendable {
    /// 0 on success; -1 when the program could not be started at all.
    var status: Int32
    var output: String
    var error: String

    var succeeded: Bool { status == 0 }
    /// The first line of stderr (or stdout), for messages.
    var summary: String {
        let text = error.isEmpty ? output : error
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(status)"
    }
}

/// Runs the Slurm client programs (`sbatch`, `squeue`, `sacct`, `scancel`).
/// A protocol so tests can count or fake scheduler calls.
protocol SlurmCommandRunner: Sendable {
    func run(_ program: String, _ arguments: [String]) async -> SlurmCommandResult
}

/// The real Slurm client programs, found in `PATH`, with gyre's environment
/// (so `SLURM_CONF` and the like apply).
struct SlurmCLI: SlurmCommandRunner {
    func run(_ program: String, _ arguments: [String]) async -> SlurmCommandResult {
        do {
            let result = try await Subprocess.run(
                .name(program), arguments: Arguments(arguments),
                output: .string(limit: 64 << 20), error: .string(limit: 1 << 20))
            let status: Int32 = switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
            return SlurmCommandResult(status: status, output: result.standardOutput, error: result.standardError)
        } catch {
            return SlurmCommandResult(status: -1, output: "", error: "cannot run \(program): \(error)")
        }
    }
}
