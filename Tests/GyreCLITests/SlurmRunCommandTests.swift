import Foundation
import GyreCore
import Testing

/// `gyre run` with `executor: {slurm: …}` against the local Slurm
/// (Tests/Scripts/slurm-cluster.sh): the quickstart converges, and a gyre
/// killed with SIGKILL while jobs run re-attaches to them on restart.
@Suite(
    "gyre run on Slurm", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"),
    .enabled(if: SlurmCluster.conf != nil, "install slurm-wlm munge and start Tests/Scripts/slurm-cluster.sh"))
struct SlurmRunCommandTests {
    static var environment: [String: String] { ["SLURM_CONF": SlurmCluster.conf ?? ""] }

    @Test func quickstartConvergesOnSlurm() throws {
        let dir = try GyreProcess.scratch("slurm-quickstart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = GyreBinary.repositoryRoot.appendingPathComponent("Workflows/quickstart-slurm.yaml")
        let text = try String(contentsOf: source, encoding: .utf8)
            .replacingOccurrences(of: "workdir: ../runs/cu-quickstart-slurm", with: "workdir: run")
        let workflow = dir.appendingPathComponent("quickstart-slurm.yaml")
        try text.write(to: workflow, atomically: true, encoding: .utf8)

        let run = try GyreProcess.run(["run", workflow.path], in: dir, environment: Self.environment, limit: 900)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("converged: every stage reached its target"))
        let scripts = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("run/slurm").path)
        #expect(scripts.contains { $0.hasSuffix(".sh") })
    }

    @Test func aKilledGyreReattachesToItsJobsAndSubmitsNothingTwice() throws {
        let dir = try GyreProcess.scratch("slurm-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "tiny-\(UUID().uuidString.prefix(6))"
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir) {
            $0.replacingOccurrences(of: "name: tiny", with: "name: \(name)")
                .replacingOccurrences(of: "local: {slots: 2}", with: "slurm: {poll_seconds: 0.5}")
        }
        let (process, _, err) = try GyreProcess.start(["run", workflow.path], in: dir, environment: Self.environment)
        // Kill gyre while the first exploration's jobs (MD, a few seconds
        // each) are queued or running.
        let deadline = Date().addingTimeInterval(120)
        func exploring() -> Bool { ((try? String(contentsOf: err, encoding: .utf8)) ?? "").contains("exploring") }
        while process.isRunning, Date() < deadline, !(exploring() && SlurmCluster.unfinishedJobs(named: "gyre-\(name)") >= 1) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        #expect(SlurmCluster.unfinishedJobs(named: "gyre-\(name)") >= 1, "gyre's jobs ended before it was killed")
        process.waitUntilExit()
        let killed = (try? String(contentsOf: err, encoding: .utf8)) ?? ""

        let resumed = try GyreProcess.run(["run", workflow.path], in: dir, environment: Self.environment, limit: 600)
        #expect(resumed.status == 0, "\(killed)\n---\n\(resumed.stderr)")
        #expect(resumed.stderr.contains("left in the queue"), "\(resumed.stderr)")
        let journal = try Journal.openForReading(workdir: dir.appendingPathComponent("run"))
        let submittedTwice = try journal.database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT task_id FROM task_event WHERE to_state = 'running'
                GROUP BY task_id HAVING COUNT(*) > 1)
                """) ?? -1
        }
        #expect(submittedTwice == 0)
    }
}

/// The local test cluster, if one answers.
enum SlurmCluster {
    /// SLURM_CONF of a cluster that answers `sinfo` (the environment's, else
    /// the default of Tests/Scripts/slurm-cluster.sh), or nil.
    static let conf: String? = {
        let candidates = [ProcessInfo.processInfo.environment["SLURM_CONF"], "/tmp/gyre-slurm/slurm.conf"].compactMap { $0 }
        return candidates.first { answers(["sinfo", "--noheader"], conf: $0) != nil }
    }()

    /// Jobs (array elements) of this name queued or running.
    static func unfinishedJobs(named name: String) -> Int {
        guard let conf,
              let out = answers(["squeue", "--me", "--noheader", "--array", "--states=PENDING,RUNNING", "--name=\(name)"], conf: conf)
        else { return 0 }
        return out.split(whereSeparator: \.isNewline).count
    }

    /// stdout of a successful command, else nil.
    private static func answers(_ arguments: [String], conf: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "SLURM_CONF": conf]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
