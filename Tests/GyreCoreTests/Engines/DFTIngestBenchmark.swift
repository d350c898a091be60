import Foundation
import Testing
@testable import GyreCore

/// Ingest benchmark (issue 7): read 2,000 pw.x outputs and 2,000 OUTCARs with
/// Gyre's readers and with dpdata, same files, same run; print the ratio.
/// Opt-in (it takes minutes): GYRE_BENCH_DFT=1 swift test --filter DFTIngestBenchmark
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GYRE_BENCH_DFT"] != nil && DFTTest.python != nil,
                             "skipped: set GYRE_BENCH_DFT=1 (needs dpdata)"))
struct DFTIngestBenchmark {
    static let count = Int(ProcessInfo.processInfo.environment["GYRE_BENCH_DFT_COUNT"] ?? "") ?? 2000

    @Test func pwxOutputs() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let input = try Data(contentsOf: try DFTTest.fixture("qe/si2.in"))
        let output = try Data(contentsOf: try DFTTest.fixture("qe/si2.out"))
        let tasks = try Self.makeTasks(in: dir, files: ["pw.in": input, "pw.out": output])
        let adapter = try QELabelAdapter(settings: DFTTest.siSettings(), elements: ["Si"], masses: [:])
        try Self.compare("pw.x", format: "qe/pw/scf", tasks: tasks, root: dir) { adapter.read($0) }
    }

    @Test(.enabled(if: DFTTest.realOutputs != nil, "skipped: ../shared/fixtures/real-outputs absent"))
    func outcars() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let outcar = try Data(contentsOf: try #require(DFTTest.realOutputs).appendingPathComponent("vasp/OUTCAR.1"))
        let tasks = try Self.makeTasks(in: dir, files: ["OUTCAR": outcar])
        try Self.compare("OUTCAR", format: "vasp/outcar", tasks: tasks, root: dir) { url in
            guard let data = try? Data(contentsOf: url.appendingPathComponent("OUTCAR")) else { return .failure(LabelRejection("unreadable")) }
            return VASPOutcar(String(decoding: data, as: UTF8.self)).printedFrame()
        }
    }

    static func makeTasks(in dir: TempDir, files: [String: Data]) throws -> [URL] {
        let root = dir.file("tasks")
        return try (0..<count).map { i in
            let task = root.appendingPathComponent(String(format: "task.%05d", i))
            try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
            for (name, data) in files { try data.write(to: task.appendingPathComponent(name)) }
            return task
        }
    }

    static func compare(_ what: String, format: String, tasks: [URL], root: TempDir,
                        read: (URL) -> Result<Frame, LabelRejection>) throws {
        let clock = ContinuousClock()
        var accepted = 0
        let elapsed = clock.measure {
            for task in tasks where (try? read(task).get()) != nil { accepted += 1 }
        }
        let gyre = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let script = DFTTest.repoRoot.appendingPathComponent("Tests/Scripts/dft_ingest_bench.py").path
        let (status, out) = try DFTTest.run(try #require(DFTTest.python), [script, format, root.file("tasks").path])
        try #require(status == 0, "\(out)")
        let fields = out.split(whereSeparator: \.isWhitespace)
        let python = try #require(fields.first.flatMap { Double($0) })
        #expect(accepted == tasks.count)
        #expect(fields.last.flatMap { Int($0) } == tasks.count)
        print(String(format: "ingest %d %@: gyre %.3f s, dpdata %.3f s, ratio %.1fx", tasks.count, what, gyre, python, python / gyre))
    }
}
