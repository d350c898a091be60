import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// data/all.extxyz and data/deepmd/ rebuilt from the per-iteration data files.
@Suite struct DataSetTests {
    /// A workdir whose data/ holds `init` (Si8 without virials, as given data
    /// often is) and iter.000 (Si8 and CuAu frames with virials).
    static func workdir() throws -> (TempDir, DataSet, [Frame]) {
        let dir = try TempDir()
        let layout = WorkdirLayout(root: dir.url)
        try FileManager.default.createDirectory(at: layout.dataDirectory, withIntermediateDirectories: true)
        var given = (1...2).map { Sample.frame(seed: $0, atoms: 8, species: ["Si"]) }
        for i in given.indices { given[i].virial = nil }
        let labelled = [Sample.frame(seed: 3, atoms: 8, species: ["Si"]), Sample.frame(seed: 4, atoms: 4),
                        Sample.frame(seed: 5, atoms: 8, species: ["Si"])]
        try ExtXYZ.write(given, to: layout.dataFile(iteration: -1))
        try ExtXYZ.write(labelled, to: layout.dataFile(iteration: 0))
        return (dir, DataSet(layout: layout, elements: ["Au", "Cu", "Si"]), given + labelled)
    }

    static func contents(_ root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let walker = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        for case let url as URL in walker where !url.hasDirectoryPath {
            out[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test func everyFrameInBothShapes() throws {
        let (dir, set, frames) = try Self.workdir()
        defer { dir.cleanup() }
        #expect(try set.rebuild() == 5)
        #expect(try ExtXYZ.read(set.allFramesFile) == frames)
        let systems = set.layout.deepmdSystems().map(\.lastPathComponent)
        #expect(systems == ["Au2Cu2", "Si8", "Si8.no-virial"])
        let read = try set.layout.deepmdSystems().map { try DeepmdNpy.read($0) }
        #expect(read[0] == [frames[3]])
        #expect(read[1] == [frames[2], frames[4]])
        #expect(read[2] == [frames[0], frames[1]])
        let typeMap = try String(contentsOf: set.layout.deepmdSystems()[1].appendingPathComponent("type_map.raw"), encoding: .utf8)
        #expect(typeMap == "Au\nCu\nSi\n")
    }

    @Test func rebuildingGivesTheSameBytesAndDropsWhatIsGone() throws {
        let (dir, set, _) = try Self.workdir()
        defer { dir.cleanup() }
        try set.rebuild()
        let first = try Self.contents(set.layout.dataDirectory)
        try set.rebuild()
        #expect(try Self.contents(set.layout.dataDirectory) == first)

        // The CuAu frame leaves the record: its system leaves data/deepmd/.
        let iter0 = set.layout.dataFile(iteration: 0)
        let kept = try ExtXYZ.read(iter0).filter { $0.formula == "Si8" }
        try ExtXYZ.write(kept, to: iter0)
        try set.rebuild()
        #expect(set.layout.deepmdSystems().map(\.lastPathComponent) == ["Si8", "Si8.no-virial"])
        #expect(try ExtXYZ.read(set.allFramesFile).count == 4)
    }

    @Test func leftoversOfACrashedRebuildAreDiscarded() throws {
        let (dir, set, _) = try Self.workdir()
        defer { dir.cleanup() }
        try set.rebuild()
        let expected = try Self.contents(set.layout.dataDirectory)
        // A rebuild killed between its two renames: a half-built new set, the old one moved aside.
        let data = set.layout.dataDirectory
        try FileManager.default.createDirectory(at: data.appendingPathComponent(".deepmd.new/Si8/set.000"),
                                                withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: set.layout.deepmdDataDirectory, to: data.appendingPathComponent(".deepmd.old"))
        #expect(set.layout.deepmdSystems().isEmpty)
        try set.rebuild()
        #expect(try Self.contents(data) == expected)
    }

    @Test(.needsAseAndDpdata)
    func dpdataReadsTheSystems() async throws {
        let python = try #require(await FormatsCrossCheckTests.python.value)
        let (dir, set, _) = try Self.workdir()
        defer { dir.cleanup() }
        try set.rebuild()
        let script = """
            import sys, dpdata
            for d in sys.argv[1:]:
                s = dpdata.LabeledSystem(d, fmt="deepmd/npy")
                print(len(s), s.get_atom_names(), s.has_virial())
            """
        let read = try await ExternalTool.run(python, ["-c", script] + set.layout.deepmdSystems().map(\.path))
        #expect(read.succeeded, "\(read.report)")
        let lines = read.stdout.split(separator: "\n").filter { !$0.contains("Warning") }
        #expect(lines == ["1 ['Au', 'Cu', 'Si'] True", "2 ['Au', 'Cu', 'Si'] True", "2 ['Au', 'Cu', 'Si'] False"])
    }
}
