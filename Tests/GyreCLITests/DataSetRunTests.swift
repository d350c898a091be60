import Foundation
import GRDB
import GyreCore
import Testing

/// The data set a real `gyre run` leaves (tiny.yaml, built-in engines):
/// data/all.extxyz and data/deepmd/ agree with the per-iteration files,
/// duplicates stay out and are counted, every frame has its provenance.
@Suite(
    "gyre run: data set", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"))
struct DataSetRunTests {
    /// Two 32-atom Cu frames labelled by EMT (`gyre engine label`), their
    /// virials dropped as in data from elsewhere; the file lists the first twice.
    static func givenFile(in dir: URL) async throws -> (URL, [Frame]) {
        let a = 3.61
        var positions: [SIMD3<Double>] = []
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 {
            let o = SIMD3(Double(i), Double(j), Double(k)) * a
            for b in [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)] {
                positions.append(o + b * a)
            }
        } } }
        let cell = Cell(.init(SIMD3(2 * a, 0, 0), SIMD3(0, 2 * a, 0), SIMD3(0, 0, 2 * a)))
        let unlabelled = [0.05, 0.1].map { shift in
            var p = positions
            p[0].x += shift
            return Frame(species: Array(repeating: "Cu", count: 32), positions: p, cell: cell)
        }
        let input = dir.appendingPathComponent("given-unlabelled.extxyz")
        let labelled = dir.appendingPathComponent("given-emt.extxyz")
        try ExtXYZ.write(unlabelled, to: input)
        let label = try await GyreProcess.run(["engine", "label", "--potential", "emt", "--input", input.path, "--output", labelled.path],
                                        in: dir, limit: 60)
        #expect(label.status == 0, "\(label.stderr)")
        let frames = try ExtXYZ.read(labelled).map { f -> Frame in
            var f = f
            f.virial = nil
            return f
        }
        let url = dir.appendingPathComponent("given.extxyz")
        try ExtXYZ.write(frames + [frames[0]], to: url)
        return (url, frames)
    }

    @Test func duplicatesStayOutAndEveryFrameHasItsProvenance() async throws {
        let dir = try GyreProcess.scratch("dataset")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (given, givenFrames) = try await Self.givenFile(in: dir)
        // The given file twice: its three frames hold two structures, so four of six are repeats.
        let workflow = try GyreProcess.workflow("tiny.yaml", in: dir) {
            $0.replacingOccurrences(of: "data:\n", with: "data:\n  - path: \(given.path)\n  - path: \(given.path)\n")
        }
        let run = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("init: 4 of 14 labelled frames repeat frames already in the data set"), "\(run.stderr)")

        let workdir = dir.appendingPathComponent("run")
        let layout = WorkdirLayout(root: workdir)
        let perIteration = try layout.dataFiles().flatMap { try ExtXYZ.read($0) }
        #expect(!layout.dataFiles().contains { $0.lastPathComponent == "all.extxyz" })
        #expect(try ExtXYZ.read(workdir.appendingPathComponent("data/all.extxyz")) == perIteration)
        #expect(Array(try ExtXYZ.read(layout.dataFile(iteration: -1)).prefix(2)) == givenFrames)
        let contents = perIteration.map(FrameContent.init)
        #expect(Set(contents).count == contents.count, "no structure twice in the data set")

        // data/deepmd/: the given frames (no virial) apart from the EMT labels, together every frame.
        let systems = layout.deepmdSystems()
        #expect(systems.map(\.lastPathComponent) == ["Cu32", "Cu32.no-virial"])
        let fromNpy = try systems.flatMap { try DeepmdNpy.read($0) }
        #expect(Set(fromNpy.map(FrameContent.init)) == Set(contents))
        #expect(fromNpy.count == perIteration.count)

        // The journal: one row per frame considered; the report counts them.
        let journal = try Journal.openForReading(workdir: workdir)
        let rows = try journal.dataFrames()
        #expect(rows.filter { !$0.duplicate }.count == perIteration.count)
        #expect(rows.filter(\.duplicate).count == 4)
        for row in rows where !row.duplicate {
            let frames = try ExtXYZ.read(workdir.appendingPathComponent(row.dataFile))
            #expect(FrameContent(frames[row.frameIndex]).digest == row.contentHash, "\(row.dataFile)#\(row.frameIndex)")
            if row.engine == "builtin" {
                let task = try #require(row.taskID)
                let directory = try await journal.database.read { db in
                    try String.fetchOne(db, sql: "SELECT directory FROM task WHERE id = ?", arguments: [task])
                }
                #expect(directory == row.source)
            } else {
                #expect(row.engine == "given" && row.taskID == nil && row.source == given.path)
            }
        }

        let json = try await GyreProcess.run(["report", "run", "--json"], in: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let dataSet = try #require(report["data_set"] as? [String: Any])
        #expect(dataSet["frames"] as? Int == perIteration.count)
        #expect(dataSet["duplicates"] as? Int == 4)
        let byIteration = try #require(dataSet["by_iteration"] as? [[String: Any]])
        let initial = byIteration.filter { $0["iteration"] as? Int == -1 }
            .map { "\($0["engine"] ?? "") \($0["frames"] ?? "") \($0["duplicates"] ?? "")" }
        #expect(initial == ["builtin 8 0", "given 2 4"])
        #expect(byIteration.reduce(0) { $0 + ($1["frames"] as? Int ?? 0) } == perIteration.count)

        // As a workdir of an older gyre (per-iteration files only): a resume writes the rest, the same bytes.
        let allFrames = try Data(contentsOf: workdir.appendingPathComponent("data/all.extxyz"))
        let npy = try Data(contentsOf: systems[0].appendingPathComponent("set.000/coord.npy"))
        try FileManager.default.removeItem(at: workdir.appendingPathComponent("data/all.extxyz"))
        try FileManager.default.removeItem(at: layout.deepmdDataDirectory)
        let resumed = try await GyreProcess.run(["run", workflow.path], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Data(contentsOf: workdir.appendingPathComponent("data/all.extxyz")) == allFrames)
        #expect(try Data(contentsOf: systems[0].appendingPathComponent("set.000/coord.npy")) == npy)
    }
}
