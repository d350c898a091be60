import Foundation
import Testing

/// Where the `gyre` executable of this build is.
enum GyreBinary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `gyre` built alongside this test bundle: beside the test executable
    /// (Linux), beside the .xctest bundle (macOS), or in a build directory of this checkout.
    static let url: URL? = {
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("gyre"))
        var bundle = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(bundle.appendingPathComponent("gyre"))
            bundle = bundle.deletingLastPathComponent()
        }
        for scratch in [".build-schema", ".build"] {
            candidates.append(repositoryRoot.appendingPathComponent("\(scratch)/debug/gyre"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
}

/// Runs the gyre binary as a user would, output to files, with a time limit.
struct GyreProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
    }

    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A copy of a test workflow with its workdir inside `dir`, after `edit`.
    static func workflow(_ name: String, in dir: URL, edit: (String) -> String = { $0 }) throws -> URL {
        let source = GyreBinary.repositoryRoot.appendingPathComponent("Tests/Workflows/\(name)")
        var text = try String(contentsOf: source, encoding: .utf8)
        text = text.replacingOccurrences(of: "workdir: ../../runs/tiny", with: "workdir: run")
        let url = dir.appendingPathComponent(name)
        try edit(text).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Starts gyre; the caller waits (or signals) it.
    static func start(_ arguments: [String], in dir: URL, environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        let gyre = try #require(GyreBinary.url, "no gyre binary next to the tests; run `swift build` first")
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = gyre
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var env = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    static func run(_ arguments: [String], in dir: URL, environment: [String: String] = [:], limit: Double = 300) async throws -> Outcome {
        let start = Date()
        let (process, out, err) = try self.start(arguments, in: dir, environment: environment)
        await exit(of: process, limit: limit, "gyre \(arguments.joined(separator: " "))")
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start))
    }

    /// Awaits the exit of a started `process`, polling: `waitUntilExit()`
    /// would hold a cooperative thread (of two on CI) until it ends. Past
    /// `limit` seconds it is stopped (SIGTERM, then SIGKILL a minute later)
    /// and an issue names `what`.
    static func exit(of process: Process, limit: Double, _ what: @autoclosure () -> String) async {
        func poll(_ seconds: Double) async {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .seconds(0.05)) }
        }
        await poll(limit)
        if process.isRunning {
            Issue.record("\(what()) ran for more than \(limit) s")
            process.terminate()
            await poll(60)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            await poll(.infinity)
        }
        process.waitUntilExit()  // it has ended: this only collects its status
    }
}
