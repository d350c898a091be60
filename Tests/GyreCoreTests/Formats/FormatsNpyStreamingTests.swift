import Foundation
import Testing
@testable import GyreCore

/// The streaming deepmd/npy writer and reader: sets written as they fill,
/// read back one at a time, and bad frames or files refused where they are.
@Suite struct FormatsNpyStreamingTests {
    private func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Frames appended in uneven batches make the same files, byte for byte, as
    /// the whole system written at once; each set is on disk as soon as it is full.
    @Test func streamedSetsEqualWholeSystemBytes() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (1...11).map { Sample.frame(seed: UInt64($0), atoms: 4) }
        let streamed = dir.file("streamed")
        let writer = try DeepmdNpyWriter(to: streamed, typeMap: ["Cu", "Au"], setSize: 3)
        var next = 0
        for batch in [1, 2, 4, 0, 3, 1] {
            try writer.append(Array(frames[next..<(next + batch)]))
            next += batch
            // Only full sets are written before finish().
            for k in 0..<4 {
                #expect(exists(streamed.appendingPathComponent("set.00\(k)")) == (k < next / 3), "after \(next) frames, set.00\(k)")
            }
        }
        try writer.finish()
        #expect(writer.frameCount == 11)
        let whole = dir.file("whole")
        try DeepmdNpy.write(frames, to: whole, typeMap: ["Cu", "Au"], setSize: 3)
        let files = ["type.raw", "type_map.raw"] + (0..<4).flatMap { k in
            ["coord", "box", "energy", "force", "virial"].map { "set.00\(k)/\($0).npy" }
        }
        for file in files {
            #expect(try Data(contentsOf: streamed.appendingPathComponent(file)) == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
        #expect(!exists(streamed.appendingPathComponent("set.004")))
    }

    /// The reader hands out each set's frames in turn: 3, 3, 3, then the short last set.
    @Test func readerYieldsSetBySet() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (1...11).map { Sample.frame(seed: UInt64($0), atoms: 4) }
        try DeepmdNpy.write(frames, to: dir.file("sys"), typeMap: ["Cu", "Au"], setSize: 3)
        var reader = try DeepmdNpyReader(dir.file("sys"))
        #expect(reader.sets == ["set.000", "set.001", "set.002", "set.003"])
        var sets: [[Frame]] = []
        while let set = try reader.nextSet() { sets.append(set) }
        #expect(sets.map(\.count) == [3, 3, 3, 2])
        #expect(Array(sets.joined()) == frames)
        #expect(try reader.nextSet() == nil)
    }

    /// More than 999 sets: set.1000 is read after set.999, not after set.100.
    @Test func setsAreReadInNumericOrder() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (1...1001).map { Sample.frame(seed: UInt64($0), atoms: 1, labelled: false) }
        try DeepmdNpy.write(frames, to: dir.file("sys"), typeMap: ["Cu"], setSize: 1)
        let reader = try DeepmdNpyReader(dir.file("sys"))
        #expect(reader.sets.suffix(2) == ["set.999", "set.1000"])
        #expect(try DeepmdNpy.read(dir.file("sys")) == frames)
    }

    /// A frame unlike the first (another atom count, or missing energy) is refused,
    /// and nothing of its batch reaches the disk.
    @Test(arguments: [Sample.frame(seed: 9, atoms: 5), Sample.frame(seed: 9, atoms: 4, labelled: false)])
    func writerRefusesAFrameUnlikeTheFirst(odd: Frame) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sys = dir.file("sys")
        let writer = try DeepmdNpyWriter(to: sys, typeMap: ["Cu", "Au"], setSize: 2)
        try writer.append((1...2).map { Sample.frame(seed: UInt64($0), atoms: 4) })
        #expect(throws: GyreError.self) {
            try writer.append([Sample.frame(seed: 3, atoms: 4), Sample.frame(seed: 4, atoms: 4), odd])
        }
        #expect(exists(sys.appendingPathComponent("set.000")))
        #expect(!exists(sys.appendingPathComponent("set.001")))
        #expect(writer.frameCount == 2)
    }

    @Test func writerWithoutFramesThrowsAndCreatesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try DeepmdNpyWriter(to: dir.file("sys"), typeMap: ["Cu"])
        try writer.append([])
        #expect(throws: GyreError.self) { try writer.finish() }
        #expect(!exists(dir.file("sys")))
    }

    /// A set whose coord.npy holds another atom count than type.raw is refused
    /// at that file, after the sets before it were read.
    @Test func readerRefusesASetWithAnotherAtomCount() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sys = dir.file("sys")
        try DeepmdNpy.write((1...4).map { Sample.frame(seed: UInt64($0), atoms: 4) }, to: sys, typeMap: ["Cu", "Au"], setSize: 2)
        // Two frames of 4 atoms are 24 numbers, as are four frames of 2 atoms: the shape tells them apart.
        let coord = sys.appendingPathComponent("set.001/coord.npy")
        try NpyArray(shape: [4, 6], data: (0..<24).map(Double.init)).write(to: coord)
        var reader = try DeepmdNpyReader(sys)
        #expect(try reader.nextSet()?.count == 2)
        let e = expectMalformed { _ = try reader.nextSet() }
        #expect(e?.location?.file == coord.path)
    }

    /// A .npy cut short in the second set: the first set is read, the second
    /// fails naming the file and the byte offset where the data should be.
    @Test(arguments: ["coord.npy", "force.npy", "box.npy", "energy.npy"])
    func readerRefusesATruncatedArrayMidSystem(file: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sys = dir.file("sys")
        try DeepmdNpy.write((1...6).map { Sample.frame(seed: UInt64($0), atoms: 4) }, to: sys, typeMap: ["Cu", "Au"], setSize: 2)
        let url = sys.appendingPathComponent("set.001/\(file)")
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 5).write(to: url)
        var reader = try DeepmdNpyReader(sys)
        #expect(try reader.nextSet()?.count == 2)
        let e = expectMalformed { _ = try reader.nextSet() }
        #expect(e?.location?.file == url.path)
        #expect(e?.location?.byteOffset == 128)
    }
}
