import Foundation
import GyreCore
import Testing

/// `gyre report` on a real run of the tiny workflow (with a flaky label
/// engine, so failures show), the page in a real browser, and `gyre run`'s
/// progress on a terminal and off it.
@Suite(
    "gyre report", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"))
struct ReportCommandTests {
    @Test func jsonOfARealRunAddsUpAndThePageRenders() async throws {
        let dir = try GyreProcess.scratch("report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        let run = try await GyreProcess.run(["run", workflow.path], in: dir, environment: ["GYRE_FAULT_INJECTION": "label:0.05:3"])
        #expect(run.status == 0, "\(run.stderr)")
        // Off a terminal: plain timestamped lines, no escape sequences.
        #expect(!run.stderr.contains("\u{1B}["))
        #expect(run.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("[") })
        let workdir = dir.appendingPathComponent("run")
        #expect(FileManager.default.fileExists(atPath: workdir.appendingPathComponent("report.html").path),
                "gyre run writes report.html after each iteration")

        let json = try await GyreProcess.run(["report", "run", "--json"], in: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        try Self.checkValues(report)

        let text = try await GyreProcess.run(["report", workflow.path], in: dir)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("iter.000") && text.stdout.contains("stage hot: converged at iter."))

        let page = dir.appendingPathComponent("page.html")
        let html = try await GyreProcess.run(["report", "run", "--html", page.path, "--quiet"], in: dir)
        #expect(html.status == 0 && html.stdout.isEmpty, "\(html.stderr)")
        let bytes = try Data(contentsOf: page)
        #expect(bytes.count > 5_000 && bytes.count < 1_000_000)
        try await Self.render(page)
    }

    /// The values, not just the keys, against what the run did.
    static func checkValues(_ report: [String: Any]) throws {
        #expect(report["schema_version"] as? Int == 1)
        let run = try #require(report["run"] as? [String: Any])
        #expect(run["state"] as? String == "converged")
        let iterations = try #require(report["iterations"] as? [[String: Any]])
        let explored = iterations.filter { $0["final"] as? Bool == false }
        #expect(explored.count >= 1)
        #expect(iterations.last?["final"] as? Bool == true, "the final training is the last row")
        var labels = 0
        for it in explored {
            let name = it["name"] as? String ?? "?"
            let f = try #require(it["frames"] as? [String: Any], "\(name)")
            let sampled = try #require(f["sampled"] as? Int)
            let parts = try ["accurate", "candidate", "failed"].map { try #require(f[$0] as? Int) }
            #expect(sampled > 0 && parts.reduce(0, +) == sampled, "\(name): \(parts) vs \(sampled)")
            let percents = try ["accurate_pct", "candidate_pct", "failed_pct"].map { try #require(f[$0] as? Double) }
            #expect(abs(percents.reduce(0, +) - 100) < 1e-6, "\(name): \(percents)")
            let l = try #require(it["labels"] as? [String: Any])
            let picked = try #require(l["picked"] as? Int), done = try #require(l["done"] as? Int)
            let failed = try #require(l["failed"] as? Int)
            #expect(done <= picked && done + failed <= picked, "\(name)")
            labels += done
            #expect(l["cumulative"] as? Int == labels)
            let trust = try #require(it["trust"] as? [String: Any])
            #expect((trust["lo"] as? Double) == 0.01 && (trust["hi"] as? Double) == 0.15)
            #expect(it["conditions"] as? Int == 2)
            let deviation = try #require(it["deviation"] as? [String: Any])
            let binned = (deviation["counts"] as? [Int] ?? []).reduce(0, +)
            let rows = try #require(deviation["rows"] as? Int)
            #expect(binned + (deviation["below"] as? Int ?? -1) + (deviation["above"] as? Int ?? -1)
                + (deviation["nan"] as? Int ?? -1) == rows)
            #expect(rows >= sampled)
            if done > 0 {
                let holdout = try #require(it["holdout"] as? [String: Any], "\(name) labelled frames: out-of-sample error expected")
                #expect(holdout["prediction"] as? String == "ensemble_mean")
                #expect(holdout["frames"] as? Int == done)
                for key in ["energy_rmse_per_atom", "force_rmse"] {
                    let v = try #require(holdout[key] as? Double)
                    #expect(v.isFinite && v > 0, "\(name) \(key) = \(v)")
                }
            }
            let training = try #require(it["training"] as? [String: Any])
            #expect((training["force_rmse"] as? Double).map { $0.isFinite && $0 >= 0 } == true)
            let steps = try #require(it["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["kind"] as? String } == ["train", "explore", "select", "label", "ingest"])
            for s in steps {
                let wall = try #require(s["wall_seconds"] as? Double), idle = try #require(s["idle_seconds"] as? Double)
                #expect(wall >= 0 && idle >= 0 && idle <= wall + 1e-6)
            }
        }
        #expect(run["labels"] as? Int == labels)
        let stages = try #require(report["stages"] as? [[String: Any]])
        #expect(stages.count == 1 && stages.first?["converged"] as? Bool == true)
        // The injected label faults were retried: each retry is a failure row with its reason.
        let failures = try #require(report["failures"] as? [[String: Any]])
        #expect(failures.allSatisfy { ($0["reason"] as? String).map { !$0.isEmpty } == true })
    }

    /// Headless Chromium screenshot, checked for size, content and the plot colours.
    static func render(_ page: URL) async throws {
        let png = page.deletingPathExtension().appendingPathExtension("png")
        let script = GyreBinary.repositoryRoot.appendingPathComponent("Tests/Scripts/render_report.sh")
        let (status, output) = try await Self.shell(["/bin/sh", script.path, page.path, png.path], limit: 120)
        if status == 77 {
            print("skipped the browser check: \(output)")
            return
        }
        #expect(status == 0, "render_report.sh: \(output)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"))
    func onATerminalTheStatusLineIsUpdatedInPlace() async throws {
        let dir = try GyreProcess.scratch("tty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir)
        let gyre = try #require(GyreBinary.url)
        // script(1) gives gyre a pseudo-terminal as stderr; what the terminal received comes out on stdout.
        let (status, output) = try await Self.shell(
            ["/usr/bin/script", "-q", "-e", "-c", "'\(gyre.path)' run '\(workflow.path)'", "/dev/null"], in: dir, limit: 300)
        #expect(status == 0, "\(output)")
        let redraws = output.components(separatedBy: "\r\u{1B}[2K▸ ").count - 1
        #expect(redraws >= 5, "the status line must be redrawn in place: \(redraws) redraws")
        #expect(output.contains("▸ stage hot · iter.000 explore · tasks "))
        #expect(output.contains("running") && output.contains("elapsed "))
        // The timestamped lines are still there, and the line is erased before the run ends.
        #expect(output.contains("] converged: every stage reached its target"))
        let afterLastLine = output.components(separatedBy: "converged: every stage").last ?? ""
        #expect(!afterLastLine.contains("▸"), "no status line left over at the end")
    }

    /// Runs a command, stdout and stderr together into a file; returns its status and output.
    static func shell(_ arguments: [String], in dir: URL? = nil, limit: Double) async throws -> (Int32, String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-shell-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if let dir { process.currentDirectoryURL = dir }
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = env["TERM"] ?? "xterm"
        process.environment = env
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        await GyreProcess.exit(of: process, limit: limit, arguments.joined(separator: " "))
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}
