import Foundation
import Testing
@testable import GyreCore

@Suite struct FormatsNpyTests {
    @Test func headerIsPaddedTo64Bytes() throws {
        for shape in [[3], [2, 9], [0, 6], [1, 2, 3, 4]] {
            let n = shape.reduce(1, *)
            let a = NpyArray(shape: shape, data: (0..<n).map { Double($0) * 0.1 })
            let bytes = [UInt8](a.encoded())
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            #expect(bytes[10 + headerLength - 1] == 10)
            #expect(bytes.count == 10 + headerLength + 8 * n)
            #expect(try NpyArray.parse(Data(bytes), file: "x") == a)
        }
    }

    /// A hand-built .npy of any version/dtype, as NumPy lays it out.
    static func npy(version: UInt8 = 1, header: String, payload: [UInt8]) -> [UInt8] {
        var h = Array(header.utf8)
        let pre = version == 1 ? 10 : 12
        while (pre + h.count + 1) % 64 != 0 { h.append(32) }
        h.append(10)
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        if version == 1 {
            out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
        } else {
            out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8), 0, 0]
        }
        return out + h + payload
    }

    @Test func readsVersionsAndDtypes() throws {
        let f4 = [Float(1.5), -2.25].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let i8 = [Int64(7), -3].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let i4 = [Int32(1), 2, 3].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let a = try NpyArray.parse(Data(Self.npy(version: 2, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload: f4)), file: "a")
        #expect(a == NpyArray(shape: [2], data: [1.5, -2.25]))
        let b = try NpyArray.parse(Data(Self.npy(version: 3, header: "{\"descr\": \"<i8\", \"shape\": (1, 2), \"fortran_order\": False}", payload: i8)), file: "b")
        #expect(b == NpyArray(shape: [1, 2], data: [7, -3]))
        let c = try NpyArray.parse(Data(Self.npy(header: "{'descr': '<i4', 'fortran_order': False, 'shape': (3L,), }", payload: i4)), file: "c")
        #expect(c.data == [1, 2, 3])
    }

    @Test func rejectsBadArrays() {
        let eight = [UInt8](repeating: 0, count: 16)
        let cases: [[UInt8]] = [
            Self.npy(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", payload: eight),
            Self.npy(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", payload: eight),
            Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", payload: eight),  // short data
            Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }", payload: eight),
            Self.npy(header: "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", payload: eight),
            Self.npy(header: "{'descr': '<f8', 'shape': (2,), }", payload: eight),
            Array(Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", payload: eight).prefix(30)),
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 9, 0, 0, 0],
            Array("not numpy at all".utf8),
        ]
        for (i, bytes) in cases.enumerated() {
            expectMalformed("case \(i)") { _ = try NpyArray.parse(Data(bytes), file: "case\(i).npy") }
        }
    }

    @Test func deepmdRoundTripAcrossSets() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (1...7).map { Sample.frame(seed: UInt64($0), atoms: 4) }
        let sys = dir.file("Au2Cu2")
        try DeepmdNpy.write(frames, to: sys, typeMap: ["Cu", "Au", "Ag"], setSize: 3)
        #expect(FileManager.default.fileExists(atPath: sys.appendingPathComponent("set.002/coord.npy").path))
        let back = try DeepmdNpy.read(sys)
        #expect(back == frames)
        #expect(try FrameFile.read(sys) == frames)
        // A second write into the same directory is refused rather than mixing sets.
        #expect(throws: GyreError.self) { try DeepmdNpy.write(frames, to: sys, typeMap: ["Cu", "Au"]) }
    }

    /// The chunked writer's files are byte for byte `encoded()` of the same array,
    /// for arrays of one chunk, many chunks, rows larger than a chunk and no rows.
    @Test(arguments: [[3], [0, 6], [], [1, 200_000], [300_001], [70_000, 9]])
    func writtenBytesEqualEncoded(shape: [Int]) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let n = shape.reduce(1, *)
        let a = NpyArray(shape: shape, data: (0..<n).map { Double($0) * 0.1 - 7 })
        try a.write(to: dir.file("a.npy"))
        #expect(try Data(contentsOf: dir.file("a.npy")) == a.encoded())
    }

    /// Each file of each set holds exactly its frames' numbers in C order, also for
    /// arrays larger than the writer's chunk and for a last set that is not full;
    /// frames without a cell get a zero box.
    @Test(arguments: [true, false])
    func deepmdSetFilesHoldTheirFramesColumns(periodic: Bool) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let atoms = 64
        let frames = (1...2500).map { Sample.frame(seed: UInt64($0), atoms: atoms, cell: periodic) }
        #expect(3 * atoms * 8 * 2000 > NpyWriter.chunkBytes)
        try DeepmdNpy.write(frames, to: dir.file("sys"), typeMap: ["Cu", "Au"], setSize: 2000)
        for (k, range) in [0..<2000, 2000..<2500].enumerated() {
            let set = frames[range]
            func expect(_ name: String, _ perFrame: Int, _ numbers: (Frame) -> [Double]) throws {
                let shape = perFrame == 1 ? [set.count] : [set.count, perFrame]
                let bytes = try Data(contentsOf: dir.file("sys/set.00\(k)/\(name)"))
                #expect(bytes == NpyArray(shape: shape, data: set.flatMap(numbers)).encoded(), "set.00\(k)/\(name)")
            }
            try expect("coord.npy", 3 * atoms) { $0.positions.flatMap { [$0.x, $0.y, $0.z] } }
            try expect("force.npy", 3 * atoms) { ($0.forces ?? []).flatMap { [$0.x, $0.y, $0.z] } }
            try expect("box.npy", 9) { ($0.cell?.matrix ?? .zero).rowMajor }
            try expect("virial.npy", 9) { ($0.virial ?? .zero).rowMajor }
            try expect("energy.npy", 1) { [$0.energy ?? .nan] }
        }
        #expect(FileManager.default.fileExists(atPath: dir.file("sys/nopbc").path) == !periodic)
    }

    @Test func deepmdNoPBCAndUnlabelled() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (1...2).map { Sample.frame(seed: UInt64($0), atoms: 3, species: ["O", "H", "H"], labelled: false, cell: false) }
        try DeepmdNpy.write(frames, to: dir.file("w"), typeMap: ["O", "H"])
        #expect(FileManager.default.fileExists(atPath: dir.file("w/nopbc").path))
        #expect(try DeepmdNpy.read(dir.file("w")) == frames)
    }

    @Test func deepmdRejectsMixedSystems() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let a = Sample.frame(seed: 1, atoms: 4)
        let b = Sample.frame(seed: 2, atoms: 4, species: ["Au", "Cu"])
        #expect(throws: GyreError.self) { try DeepmdNpy.write([a, b], to: dir.file("x"), typeMap: ["Cu", "Au"]) }
        let c = Sample.frame(seed: 3, atoms: 5)
        let systems = DeepmdNpy.systems([a, b, c, a])
        #expect(systems.map(\.name) == ["Au2Cu2", "Au2Cu2-2", "Au2Cu3"])
        #expect(systems.map(\.frames.count) == [2, 1, 1])
    }
}
