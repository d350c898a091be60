import Foundation
import GyreTestSupport
import GyreCore
import Testing

/// `gyre run` with `executor: {slurm: …}` against the local Slurm
/// (Tests/Scripts/slurm-cluster.sh): the quickstart converges, and a gyre
/// killed with SIGKILL while jobs run re-attaches to them on restart.
@Suite(
    "gyre run on Slurm", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"),
    .enabled("install slurm-wlm munge and start Tests/Scripts/slurm-cluster.sh") { await SlurmCluster.conf.value != nil })
struct SlurmRunCommandTests {
    static func environment() async -> [String: String] { ["SLURM_CONF": await SlurmCluster.conf.value ?? ""] }

    @Test func quickstartConvergesOnSlurm() async throws {
        let dir = try GyreProcess.scratch("slurm-quickstart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = GyreBinary.repositoryRoot.appendingPathComponent("Workflows/quickstart-slurm.yaml")
        let text = try String(contentsOf: source, encoding: .utf8)
            .replacingOccurrences(of: "workdir: ../runs/cu-quickstart-slurm", with: "workdir: run")
        let workflow = dir.appendingPathComponent("quickstart-slurm.yaml")
        try text.write(to: workflow, atomically: true, encoding: .utf8)

        let run = try await GyreProcess.run(["run", workflow.path], in: dir, environment: await Self.environment(), limit: 900)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("converged: every stage reached its target"))
        let scripts = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("run/slurm").path)
        #expect(scripts.contains { $0.hasSuffix(".sh") })
    }

    @Test func aKilledGyreReattachesToItsJobsAndSubmitsNothingTwice() async throws {
        let dir = try GyreProcess.scratch("slurm-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "tiny-\(UUID().uuidString.prefix(6))"
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir) {
            $0.replacingOccurrences(of: "name: tiny", with: "name: \(name)")
                .replacingOccurrences(of: "local: {slots: 2}", with: "slurm: {poll_seconds: 0.5}")
        }
        let (process, _, err) = try GyreProcess.start(["run", workflow.path], in: dir, environment: await Self.environment())
        // Kill gyre while the first exploration's jobs (MD, a few seconds
        // each) are queued or running.
        let deadline = Date().addingTimeInterval(900)
        func exploring() -> Bool { ((try? String(contentsOf: err, encoding: .utf8)) ?? "").contains("exploring") }
        while process.isRunning, Date() < deadline {
            if exploring(), await SlurmCluster.unfinishedJobs(named: "gyre-\(name)") >= 1 { break }
            try await Task.sleep(for: .seconds(0.05))
        }
        kill(process.processIdentifier, SIGKILL)
        let leftRunning = await SlurmCluster.unfinishedJobIDs(named: "gyre-\(name)")
        #expect(!leftRunning.isEmpty, "gyre's jobs ended before it was killed")
        await GyreProcess.exit(of: process, limit: 60, "the killed gyre")
        let killed = (try? String(contentsOf: err, encoding: .utf8)) ?? ""

        let resumed = try await GyreProcess.run(["run", workflow.path], in: dir, environment: await Self.environment(), limit: 600)
        #expect(resumed.status == 0, "\(killed)\n---\n\(resumed.stderr)")
        #expect(resumed.stderr.contains("left in the queue"), "\(resumed.stderr)")
        let journal = try Journal.openForReading(workdir: dir.appendingPathComponent("run"))
        let submittedTwice = try await journal.database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT task_id FROM task_event WHERE to_state = 'running'
                GROUP BY task_id HAVING COUNT(*) > 1)
                """) ?? -1
        }
        #expect(submittedTwice == 0)

        // Slurm's own record agrees: every job that ran under this name is a
        // submission the journal knows of, once, and the jobs gyre was killed
        // amid ran to completion (waited on, not cancelled and resubmitted).
        let submissions = try await journal.database.read { db in
            try String.fetchAll(db, sql: "SELECT detail FROM task_event WHERE to_state = 'running' AND detail LIKE 'job %'")
        }.map { String($0.dropFirst(4)) }
        var finished: [String: String] = [:]
        for _ in 0..<50 {
            finished = await SlurmCluster.finishedJobs(named: "gyre-\(name)")
            if finished.count >= submissions.count { break }
            try await Task.sleep(for: .seconds(0.1))
        }
        #expect(submissions.count >= leftRunning.count && !leftRunning.isEmpty)
        #expect(finished.count == submissions.count, "jobcomp: \(finished.keys.sorted()), journal: \(submissions.sorted())")
        #expect(Set(finished.keys) == Set(submissions))
        #expect(leftRunning.allSatisfy { finished[$0] == "COMPLETED" }, "\(leftRunning) in jobcomp: \(finished)")
    }

    /// tiny.yaml with its exploration on Slurm, every job held (so it pends,
    /// whatever else the test cluster runs, until released).
    static func heldExploration(_ dir: URL, name: String, hold: Bool = true) throws -> URL {
        try GyreProcess.workflow("tiny.yaml", in: dir) {
            $0.replacingOccurrences(of: "name: tiny", with: "name: \(name)").replacingOccurrences(
                of: "explore:\n  stages:",
                with: "explore:\n  executor: {slurm: {poll_seconds: 0.5\(hold ? ", extra: [\"--hold\"]" : "")}}\n  stages:")
        }
    }

    /// Waits until gyre's stderr contains `text` (or gyre exits, or `limit` s pass).
    static func wait(for text: String, in err: URL, of process: Process, limit: Double = 300) async -> String {
        let deadline = Date().addingTimeInterval(limit)
        var seen = ""
        while process.isRunning, Date() < deadline {
            seen = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            if seen.contains(text) { break }
            try? await Task.sleep(for: .seconds(0.1))
        }
        return seen
    }

    /// Sends SIGINT, as Ctrl-C does, and waits for gyre to exit.
    static func interrupt(_ process: Process, limit: Double = 300) async {
        kill(process.processIdentifier, SIGINT)
        await GyreProcess.exit(of: process, limit: limit, "gyre after SIGINT")
    }

    @Test func ctrlCWithOnInterruptCancelCancelsTheJobs() async throws {
        let dir = try GyreProcess.scratch("slurm-interrupt-cancel")
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "tiny-\(UUID().uuidString.prefix(6))"
        let workflow = try Self.heldExploration(dir, name: name)
        let (process, _, err) = try GyreProcess.start(
            ["run", workflow.path, "--on-interrupt", "cancel"], in: dir, environment: await Self.environment())
        let before = await Self.wait(for: "(JobHeldUser)", in: err, of: process)
        #expect(before.contains("jobs (") && before.contains("are pending (JobHeldUser): held by its owner"), "\(before)")
        let status = try await GyreProcess.run(["status", dir.appendingPathComponent("run").path], in: dir)
        #expect(status.stdout.contains("pending (JobHeldUser)"), "\(status.stdout)")
        #expect(await SlurmCluster.unfinishedJobs(named: "gyre-\(name)") == 2)

        await Self.interrupt(process)
        let after = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(after)")
        #expect(after.contains("stopped by signal"), "\(after)")
        // scancel returns before slurmctld has ended the jobs: give it a moment.
        var left = await SlurmCluster.unfinishedJobs(named: "gyre-\(name)")
        for _ in 0..<20 where left > 0 {
            try await Task.sleep(for: .seconds(0.25))
            left = await SlurmCluster.unfinishedJobs(named: "gyre-\(name)")
        }
        #expect(left == 0, "jobs still queued after --on-interrupt cancel")
    }

    @Test func ctrlCWithOnInterruptLeaveKeepsTheJobsForTheNextRun() async throws {
        let dir = try GyreProcess.scratch("slurm-interrupt-leave")
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "tiny-\(UUID().uuidString.prefix(6))"
        let jobName = "gyre-\(name)"
        let workflow = try Self.heldExploration(dir, name: name)
        let (process, _, err) = try GyreProcess.start(
            ["run", workflow.path, "--on-interrupt", "leave"], in: dir, environment: await Self.environment())
        _ = await Self.wait(for: "(JobHeldUser)", in: err, of: process)
        await Self.interrupt(process)
        let stopped = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 1, "\(stopped)")
        #expect(stopped.contains("left 2 job(s) queued or running"), "\(stopped)")
        let left = await SlurmCluster.unfinishedJobIDs(named: jobName)
        #expect(left.count == 2)
        // Should the test stop midway, its jobs do not stay queued (nothing waits for this).
        defer { Task { await SlurmCluster.cancel(await SlurmCluster.unfinishedJobIDs(named: jobName)) } }

        // The user drops the hold from the workflow (executor changes are safe
        // to resume with) and runs again: gyre waits on the jobs it left, and
        // they run once released.
        _ = try Self.heldExploration(dir, name: name, hold: false)
        let (rerun, _, rerr) = try GyreProcess.start(["run", workflow.path], in: dir, environment: await Self.environment())
        let waiting = await Self.wait(for: "left in the queue", in: rerr, of: rerun, limit: 120)
        #expect(waiting.contains("waiting on 2 task(s) whose jobs a previous gyre run left in the queue"), "\(waiting)")
        await SlurmCluster.release(left)
        await GyreProcess.exit(of: rerun, limit: 600, "the resumed gyre run")
        let resumed = (try? String(contentsOf: rerr, encoding: .utf8)) ?? ""
        #expect(rerun.terminationStatus == 0, "\(resumed)")
        let journal = try Journal.openForReading(workdir: dir.appendingPathComponent("run"))
        let jobs = try await journal.database.read { db in
            try String.fetchAll(db, sql: "SELECT scheduler_job_id FROM task WHERE scheduler_job_id IS NOT NULL")
        }
        #expect(Set(left).isSubset(of: Set(jobs)), "the tasks kept the jobs left running: \(left) vs \(jobs)")
    }
}

/// The local test cluster, if one answers.
enum SlurmCluster {
    /// SLURM_CONF of a cluster that answers `sinfo` (the environment's, else
    /// the default of Tests/Scripts/slurm-cluster.sh), or nil.
    /// Found once, without blocking.
    static let conf = Task { () -> String? in
        let candidates = [ProcessInfo.processInfo.environment["SLURM_CONF"], "/tmp/gyre-slurm/slurm.conf"].compactMap { $0 }
        for candidate in candidates where await answers(["sinfo", "--noheader"], conf: candidate) != nil { return candidate }
        return nil
    }

    /// Jobs (array elements) of this name queued or running.
    static func unfinishedJobs(named name: String) async -> Int {
        await unfinishedJobIDs(named: name).count
    }

    /// Ids of the jobs (array elements) of this name queued or running.
    static func unfinishedJobIDs(named name: String) async -> [String] {
        guard let conf = await conf.value,
              let out = await answers(
                ["squeue", "--me", "--noheader", "--array", "--states=PENDING,RUNNING", "--name=\(name)", "--format=%i"], conf: conf)
        else { return [] }
        return out.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func release(_ ids: [String]) async {
        if let conf = await conf.value, !ids.isEmpty { _ = await answers(["scontrol", "release"] + ids, conf: conf) }
    }

    static func cancel(_ ids: [String]) async {
        if let conf = await conf.value, !ids.isEmpty { _ = await answers(["scancel"] + ids, conf: conf) }
    }

    /// Finished jobs of this name as Slurm's job completion log
    /// (`JobCompType=jobcomp/filetxt`, see slurm-cluster.sh) has them:
    /// id (`123_4` for an array element) → final state.
    static func finishedJobs(named name: String) async -> [String: String] {
        guard let conf = await conf.value, let config = await answers(["scontrol", "show", "config"], conf: conf),
              let line = config.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("JobCompLoc") }),
              let path = line.split(separator: "=", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces),
              let log = try? String(contentsOfFile: path, encoding: .utf8)
        else { return [:] }
        var jobs: [String: String] = [:]
        for entry in log.split(whereSeparator: \.isNewline) {
            var fields: [String: String] = [:]
            for pair in entry.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            guard fields["Name"] == name, let id = fields["JobId"] else { continue }
            // A plain job's ArrayTaskId is NO_VAL (4294967294) and its ArrayJobId 0.
            let arrayID = fields["ArrayJobId"] ?? "0"
            let element = fields["ArrayTaskId"].flatMap { Int($0) }.flatMap { $0 < 4_000_000_000 ? $0 : nil }
            jobs[arrayID != "0" && element != nil ? "\(arrayID)_\(element ?? 0)" : id] = fields["JobState"]
        }
        return jobs
    }

    /// stdout of a successful Slurm client command, else nil.
    private static func answers(_ arguments: [String], conf: String) async -> String? {
        guard let program = arguments.first,
              let run = try? await ExternalTool.run(program, Array(arguments.dropFirst()), environment: ["SLURM_CONF": conf], limit: .seconds(120)),
              run.succeeded
        else { return nil }
        return run.stdout
    }
}
