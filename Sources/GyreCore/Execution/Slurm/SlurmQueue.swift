import Foundation

/// Gyre's conversation with Slurm: submit, one query for all jobs, cancel.
/// Every call is one scheduler command; none throws — a failing command is a
/// result the executor retries or reports.
struct SlurmQueue: Sendable {
    let runner: any SlurmCommandRunner
    /// The `--job-name` of every job gyre submits for this workflow; squeue
    /// is asked for jobs of this name only.
    let jobName: String

    /// A job (or array element) as the scheduler reports it.
    struct JobStatus: Sendable, Hashable {
        var state: SlurmJobState
        /// squeue's reason (e.g. `Priority`, `JobArrayTaskLimit`); empty from sacct.
        var reason: String
    }

    /// Submits `script`; returns the job id (`123`, or the array's `123`).
    /// - Parameters:
    ///   - array: the `--array` value (`0-9%4`), nil for a plain job.
    ///   - logDirectory: where Slurm writes the job's own output.
    func submit(script: URL, array: String?, logDirectory: URL) async -> Result<String, SlurmFailure> {
        // Paths go to sbatch as argv, never through a shell; `%` is escaped
        // because sbatch expands it in --output file names.
        let logs = logDirectory.path.replacingOccurrences(of: "%", with: "\\%")
        var arguments = ["--parsable", "--job-name=\(jobName)", "--chdir=\(logDirectory.path)"]
        if let array {
            arguments += ["--array=\(array)", "--output=\(logs)/%x-%A_%a.out"]
        } else {
            arguments += ["--output=\(logs)/%x-%j.out"]
        }
        arguments.append(script.path)
        let result = await runner.run("sbatch", arguments)
        // --parsable prints `jobid` or `jobid;cluster`.
        guard result.succeeded,
              let id = result.output.split(whereSeparator: \.isNewline).first?.split(separator: ";").first,
              !id.isEmpty, id.allSatisfy(\.isNumber)
        else { return .failure(SlurmFailure(command: "sbatch", result: result)) }
        return .success(String(id))
    }

    /// One `squeue` call: every job of this name of the current user, array
    /// elements one per line, finished ones included while Slurm keeps them.
    func states() async -> Result<[String: JobStatus], SlurmFailure> {
        let result = await runner.run(
            "squeue", ["--me", "--noheader", "--array", "--states=all", "--name=\(jobName)", "--format=%i|%T|%r"])
        guard result.succeeded else { return .failure(SlurmFailure(command: "squeue", result: result)) }
        return .success(Self.parse(result.output, separator: "|"))
    }

    /// One `sacct` call for `ids`; nil when accounting does not answer
    /// (no slurmdbd: "accounting storage is disabled").
    func accountedStates(_ ids: [String]) async -> [String: JobStatus]? {
        guard !ids.isEmpty else { return [:] }
        let result = await runner.run(
            "sacct", ["--noheader", "--parsable2", "--allocations", "--jobs=\(ids.joined(separator: ","))", "--format=JobID,State"])
        guard result.succeeded else { return nil }
        return Self.parse(result.output, separator: "|")
    }

    /// `scancel` of `ids` in one call; whether it succeeded.
    @discardableResult
    func cancel(_ ids: [String]) async -> Bool {
        guard !ids.isEmpty else { return true }
        return await runner.run("scancel", ids).succeeded
    }

    /// `id|STATE|reason` lines to statuses by id.
    static func parse(_ output: String, separator: Character) -> [String: JobStatus] {
        var statuses: [String: JobStatus] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: separator, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let id = fields[0].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { continue }
            let reason = fields.count > 2 ? fields[2].trimmingCharacters(in: .whitespaces) : ""
            statuses[id] = JobStatus(state: SlurmJobState(fields[1].drop(while: \.isWhitespace)), reason: reason)
        }
        return statuses
    }
}

/// A scheduler command that failed, with what it said.
struct SlurmFailure: Error, Sendable, CustomStringConvertible {
    var command: String
    var result: SlurmCommandResult
    var description: String { "\(command) failed: \(result.summary)" }
}
