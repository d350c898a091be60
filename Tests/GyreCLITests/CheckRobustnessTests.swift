import Foundation
import Testing

/// `gyre check` on hostile input: every case exits 2 with a message on stderr,
/// quickly, and never dies of a signal.
@Suite(
    "gyre check robustness", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"))
struct CheckRobustnessTests {
    struct Outcome {
        var status: Int32
        var reason: Process.TerminationReason
        var stderr: String
        var stdout: String
        var seconds: Double
    }

    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `gyre check PATH` with output to files and a 10 s ceiling (then kills it).
    static func check(_ path: String) async throws -> Outcome {
        let gyre = try #require(GyreBinary.url, "no gyre binary next to the tests; run `swift build` first")
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = gyre
        process.arguments = ["check", path]
        process.currentDirectoryURL = GyreBinary.repositoryRoot
        process.environment = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        // The exit is timed where it happens, not when this task next runs: on a
        // loaded machine the test's own polling can wake long after gyre ended.
        let exit = ExitTime()
        process.terminationHandler = { _ in exit.mark() }
        let start = Date()
        try process.run()
        await GyreProcess.exit(of: process, limit: 10, "gyre check \(path)")
        return Outcome(
            status: process.terminationStatus, reason: process.terminationReason,
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            seconds: (exit.date ?? Date()).timeIntervalSince(start))
    }

    /// When the process ended, set from its termination handler's thread.
    final class ExitTime: @unchecked Sendable {
        private let lock = NSLock()
        private var ended: Date?

        func mark() { lock.withLock { ended = Date() } }
        var date: Date? { lock.withLock { ended } }
    }

    enum Input: String, CaseIterable, Sendable {
        case empty, binaryGarbage, fiftyMegabytes, deepNesting, invalidUTF8, directory, missing, nulByte, scalarDocument
        case hugeScalar, manyKeys
    }

    /// Writes the hostile input and returns its path, and what stderr must say.
    static func make(_ input: Input, in dir: URL) throws -> (path: String, says: String) {
        let file = dir.appendingPathComponent("\(input.rawValue).yaml")
        switch input {
        case .empty:
            try Data().write(to: file)
            return (file.path, ":1:1: error: the workflow is empty")
        case .binaryGarbage:
            var generator = SystemRandomNumberGenerator()
            // A leading continuation byte is never valid UTF-8 (and is no BOM), whatever follows.
            let bytes = [UInt8(0x80)] + (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: file)
            return (file.path, ":1:1: error: invalid leading UTF-8 octet at byte 0 (0x80)")
        case .fiftyMegabytes:
            var data = Data("name: big\n# ".utf8)
            data.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
            try data.write(to: file)
            return (file.path, "error: the file is over 4 MiB")
        case .deepNesting:
            try Data(String(repeating: "[", count: 10_000).utf8).write(to: file)
            return (file.path, ":1:129: error: nesting deeper than 128 levels")
        case .invalidUTF8:
            try Data(Array("name: caf".utf8) + [0xC3, 0x28, 0x0A]).write(to: file)
            return (file.path, ":1:11: error: invalid trailing UTF-8 octet")
        case .directory:
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
            return (file.path, "error: is a directory")
        case .missing:
            return (file.path, "error: no such file")
        case .nulByte:
            try Data(Array("name: a".utf8) + [0, 0x0A]).write(to: file)
            return (file.path, ":1:8: error: control characters are not allowed")
        case .hugeScalar:
            // A 3 MB "element symbol": no did-you-mean search may take time over it.
            try Data(("name: x\nelements: [" + String(repeating: "Q", count: 3_000_000) + "]\n").utf8).write(to: file)
            return (file.path, ":2:12: error: elements[0]: `QQQ")
        case .manyKeys:
            let lines = (0..<250_000).map { "k\($0): 1\n" }.joined()
            try Data(lines.utf8).write(to: file)
            return (file.path, "error: the document has more than 200000 nodes")
        case .scalarDocument:
            try Data("just some words\n".utf8).write(to: file)
            return (file.path, ":1:1: error: a workflow must be a mapping")
        }
    }

    @Test(arguments: Input.allCases)
    func hostileInputExitsTwoWithAMessage(_ input: Input) async throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (path, says) = try Self.make(input, in: dir)
        let outcome = try await Self.check(path)
        #expect(outcome.reason == .exit, "gyre died of signal \(outcome.status)")
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(path + says) || outcome.stderr.contains(says), "\(outcome.stderr)")
        #expect(outcome.stderr.hasSuffix(" in \(path)\n"), "no summary line: \(outcome.stderr.suffix(300))")
        #expect(outcome.seconds < 10)
    }

    @Test func quickstartIsValid() async throws {
        let outcome = try await Self.check("Workflows/quickstart.yaml")
        #expect(outcome.reason == .exit)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Workflows/quickstart.yaml: valid"))
        #expect(outcome.stderr.isEmpty)
    }

    @Test func aMalformedWorkflowIsReportedInEditorForm() async throws {
        let dir = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The corpus file whose `select.trust` has lo 0.4 above hi 0.3, copied under the name.
        let fixture = GyreBinary.repositoryRoot
            .appendingPathComponent("Tests/GyreCoreTests/Fixtures/workflows/bad/trust-lo-above-hi.yaml")
        let file = dir.appendingPathComponent("quick.yaml")
        try FileManager.default.copyItem(at: fixture, to: file)
        let outcome = try await Self.check(file.path)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("quick.yaml:35:15: error: select.trust.lo (0.4) must be below select.trust.hi (0.3)\n"), "\(outcome.stderr)")
    }
}
