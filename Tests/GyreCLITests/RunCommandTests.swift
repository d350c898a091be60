import Foundation
import GyreTestSupport
import GyreCore
import Testing

/// `gyre run`, `gyre status` and `gyre plan` as a user runs them, on the small
/// test workflow (Tests/Workflows/tiny.yaml, built-in engines).
@Suite(
    "gyre run", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"))
struct RunCommandTests {
    static func eventCount(_ workdir: URL) throws -> Int {
        let journal = try Journal.openForReading(workdir: workdir)
        return try journal.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_event") ?? 0 }
    }

    @Test func runConvergesAndAResumeRepeatsNothing() async throws {
        let dir = try GyreProcess.scratch("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        let first = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("converged: every stage reached its target"))
        let workdir = dir.appendingPathComponent("run")
        for m in 0..<2 {
            #expect(FileManager.default.fileExists(atPath: workdir.appendingPathComponent("models/final/model.\(m)/model.json").path))
        }
        let data = try ExtXYZ.read(workdir.appendingPathComponent("data/init.extxyz"))
        #expect(data.count == 8)
        #expect(data.allSatisfy { $0.isLabelled })

        let events = try Self.eventCount(workdir)
        let second = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming"))
        #expect(try Self.eventCount(workdir) == events, "a resumed, finished run must not touch any task")

        let status = try await GyreProcess.run(["status", "run"], in: dir)
        #expect(status.status == 0)
        #expect(status.stdout.contains("not running"))
        #expect(status.stdout.contains("stage final"))
        #expect(status.stdout.contains("failed") == false)
    }

    @Test func aChangedWorkflowIsRefusedUnlessItCannotMatter() async throws {
        let dir = try GyreProcess.scratch("changes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        #expect(try await GyreProcess.run(["run", workflow.path], in: dir).status == 0)

        _ = try GyreProcess.workflow("tiny.yaml", in: dir) { $0.replacingOccurrences(of: "slots: 2", with: "slots: 1") }
        let executorOnly = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(executorOnly.status == 0, "changing where tasks run cannot alter finished work: \(executorOnly.stderr)")

        _ = try GyreProcess.workflow("tiny.yaml", in: dir) { $0.replacingOccurrences(of: "lo: 0.01", with: "lo: 0.02") }
        let refused = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("select.trust"))
        #expect(refused.stderr.contains("--accept-changes"))
        let accepted = try await GyreProcess.run(["run", "--accept-changes", workflow.path], in: dir)
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test func aSecondRunOnTheSameWorkdirIsRefusedWithTheHoldersPID() async throws {
        let dir = try GyreProcess.scratch("lock")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The first run must still hold the lock when the second starts and
        // when Ctrl-C comes, however late this test gets to run: the whole
        // tiny run takes 6 s, so in the full suite it could end first. An
        // injected fault (seed 6) makes init/label/task.004's first attempt
        // hang, with a 900 s timeout: the first run waits on it until stopped.
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir) { $0.replacingOccurrences(of: "timeout: 10", with: "timeout: 900") }
        let (first, _, firstErr) = try GyreProcess.start(["run", workflow.path], in: dir, environment: ["GYRE_FAULT_INJECTION": "label:0.15:6"])
        defer { if first.isRunning { first.terminate() } }
        // Wait until it holds the lock and has taken SIGINT over (it watches
        // for Ctrl-C only after opening the journal: a SIGINT before that
        // kills it outright, exit status 2, as seen once the suite stopped
        // starving this test).
        let deadline = Date().addingTimeInterval(600)
        while !Self.watchesSIGINT(first.processIdentifier) && first.isRunning && Date() < deadline {
            try await Task.sleep(for: .seconds(0.05))
        }
        try #require(Self.watchesSIGINT(first.processIdentifier), "the first run never got to watching for Ctrl-C")
        let second = try await GyreProcess.run(["run", workflow.path], in: dir, limit: 30)
        #expect(second.status != 0)
        #expect(second.stderr.contains("\(first.processIdentifier)"), "the refusal names the holder: \(second.stderr)")
        // Ctrl-C stops the first cleanly; a new run (the stock timeout, a safe
        // change, and no injected faults) then resumes and finishes.
        first.interrupt()
        await GyreProcess.exit(of: first, limit: 300, "the interrupted first gyre run")
        let stopped = (try? String(contentsOf: firstErr, encoding: .utf8)) ?? ""
        #expect(first.terminationStatus == 1, "\(stopped)")
        #expect(stopped.contains("run `gyre run"), "\(stopped)")
        _ = try GyreProcess.workflow("tiny.yaml", in: dir)
        let resumed = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    /// Whether process `pid` has taken SIGINT's default action over — ignored,
    /// or caught by the dispatch source gyre watches Ctrl-C with (Linux:
    /// /proc/PID/status).
    static func watchesSIGINT(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        func mask(_ field: String) -> UInt64 {
            status.split(separator: "\n").first { $0.hasPrefix(field) }
                .flatMap { UInt64($0.dropFirst(field.count).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        }
        return (mask("SigIgn:") | mask("SigCgt:")) & (1 << UInt64(SIGINT - 1)) != 0
    }

    @Test func flakyLabelsAreRetriedAndTheRunFinishes() async throws {
        let dir = try GyreProcess.scratch("flaky")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        let run = try await GyreProcess.run(["run", workflow.path], in: dir, environment: ["GYRE_FAULT_INJECTION": "label:0.05:3"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("retrying"), "the injected failures must have been retried")
        let journal = try Journal.openForReading(workdir: dir.appendingPathComponent("run"))
        let retried = try await journal.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_event WHERE from_state = 'running' AND to_state = 'pending'") ?? 0
        }
        #expect(retried >= 1)
    }

    @Test func tooManyLabelFailuresStopTheRunAndAResumeFinishesIt() async throws {
        let dir = try GyreProcess.scratch("faulty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir) { $0.replacingOccurrences(of: "retries: 1", with: "retries: 0") }
        let faulty = try await GyreProcess.run(["run", workflow.path], in: dir, environment: ["GYRE_FAULT_INJECTION": "label:0.3:3"])
        #expect(faulty.status == 1)
        #expect(faulty.stderr.contains("label tasks failed"))
        #expect(faulty.stderr.contains("label.max_failed"))
        let status = try await GyreProcess.run(["status", "run"], in: dir)
        #expect(status.stdout.contains("last failure:"))
        let fixed = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    @Test func planListsTheFirstIterationsTasks() async throws {
        let dir = try GyreProcess.scratch("plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        let plan = try await GyreProcess.run(["plan", "--json", workflow.path], in: dir)
        #expect(plan.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        let byStep = Dictionary(steps.map { (($0["iteration"] as? String ?? "") + " " + ($0["step"] as? String ?? ""), $0) }) { a, _ in a }
        #expect((byStep["init label"]?["tasks"] as? [Any])?.count == 8)
        #expect((byStep["iter.000 train"]?["tasks"] as? [Any])?.count == 2)
        #expect((byStep["iter.000 explore"]?["tasks"] as? [Any])?.count == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run").path), "plan runs nothing")
        let text = try await GyreProcess.run(["plan", workflow.path], in: dir)
        #expect(text.stdout.contains("iter.000/explore/task.000"))
    }

    /// The crash test: SIGKILL `gyre run` at random moments, resume after each,
    /// and compare with an uninterrupted run byte for byte (Tests/Scripts/crash_resume.py).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || ProcessInfo.processInfo.environment["GYRE_PYTHON"] != nil,
                   "needs python3 to drive the crash test"))
    func killedAtRandomMomentsAndResumedGivesTheSameResult() async throws {
        let dir = try GyreProcess.scratch("crash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gyre = try #require(GyreBinary.url)
        let python = ProcessInfo.processInfo.environment["GYRE_PYTHON"] ?? "/usr/bin/python3"
        let crash = try await ExternalTool.run(python, [
            GyreBinary.repositoryRoot.appendingPathComponent("Tests/Scripts/crash_resume.py").path, gyre.path,
            GyreBinary.repositoryRoot.appendingPathComponent("Tests/Workflows/tiny.yaml").path,
            "--kills", "12", "--seed", "5", "--keep", dir.path,
        ], in: dir, limit: .seconds(1800))
        let report = crash.stdout + crash.stderr
        print(report)
        #expect(crash.succeeded, "\(crash.outcome)\n\(report)")
        #expect(report.contains("crash test: passed"))
        // Kill moments are random and the run may finish before all 12 land (it
        // progresses faster on an idle machine); a few kills still prove the resume.
        let kills = report.split(separator: "\n").filter { $0.hasPrefix("kill ") }.count
        #expect(kills >= 3, "at least three kills must have happened before the run finished: \(report)")
    }
}
