import Foundation
import Testing
@testable import GyreCore

/// Fuzz-style checks: damaged inputs give a located GyreError, never a crash
/// and never a silently shortened result.
@Suite struct FormatsMalformedInputTests {
    static let goodXYZ = """
    2
    Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5 pbc="T T T"
    Cu 0 0 0 0.1 0.2 0.3
    Cu 2 2 2 -0.1 -0.2 -0.3

    """

    static func r(_ name: String, _ find: String, _ replacement: String) -> (String, String) {
        (name, goodXYZ.replacingOccurrences(of: find, with: replacement))
    }

    static let xyzCases: [(String, String)] = [
        r("truncated atom lines", "Cu 2 2 2 -0.1 -0.2 -0.3\n", ""),
        ("truncated mid-line", String(goodXYZ.dropLast(8))),
        ("missing comment", "2\n"),
        r("too few columns", "-0.2 -0.3", "-0.2"),
        r("too many columns", "-0.2 -0.3", "-0.2 -0.3 7"),
        r("NaN position", "Cu 2 2 2", "Cu 2 nan 2"),
        r("Inf position", "Cu 2 2 2", "Cu 2 2 -inf"),
        r("NaN force", "0.1 0.2 0.3", "0.1 NaN 0.3"),
        r("huge atom count", "2\nLattice", "1000000000000\nLattice"),
        r("negative atom count", "2\nLattice", "-2\nLattice"),
        r("count is not a number", "2\nLattice", "two\nLattice"),
        r("short Lattice", "4 0 0 0 4 0 0 0 4", "4 0 0 0 4 0 0 0"),
        r("NaN Lattice", "4 0 0 0 4 0 0 0 4", "4 0 0 0 nan 0 0 0 4"),
        r("unterminated quote", "pbc=\"T T T\"", "pbc=\"T T T"),
        r("bad pbc", "pbc=\"T T T\"", "pbc=\"T T\""),
        r("bad Properties", "forces:R:3", "forces:R"),
        r("no positions", "pos:R:3", "xyz:R:3"),
        r("bad energy", "energy=-1.5", "energy=lots"),
        r("garbage number", "Cu 2 2 2", "Cu 2 2e 2"),
    ]

    @Test(arguments: xyzCases)
    func extxyzRejects(_ name: String, _ text: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = try dir.write(text, to: "bad.extxyz")
        let e = expectMalformed(Comment(rawValue: name)) { _ = try ExtXYZ.read(url) }
        #expect(e?.location?.file == url.path)
        #expect(e?.location?.line != nil)
    }

    @Test func invalidUTF8AndBinaryGarbage() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var bytes = Array(Self.goodXYZ.utf8)
        // An invalid UTF-8 sequence where the species is.
        let i = try #require(bytes.indices.first { bytes[$0] == 67 && bytes[$0 + 1] == 117 })
        bytes[i] = 0xC3
        bytes[i + 1] = 0x28
        let url = try dir.write(bytes: bytes, to: "utf8.extxyz")
        expectMalformed { _ = try ExtXYZ.read(url) }
        // Random binary data in every format.
        var g = SeededGenerator(seed: 9)
        for k in 0..<40 {
            let junk = (0..<(1 + Int(g.next() % 5000))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            for name in ["j\(k).extxyz", "POSCAR_j\(k)", "j\(k).data", "j\(k).dump"] {
                let u = try dir.write(bytes: junk, to: name)
                expectMalformed(Comment(rawValue: name)) { _ = try FrameFile.read(u, typeMap: ["Cu"]) }
            }
            let m = try dir.write(bytes: junk, to: "m\(k).out")
            // Junk may contain a line that starts with '#': only the first real row matters here.
            do { _ = try ModelDeviationReader.readAll(m) } catch let e as GyreError { #expect(e.code == .malformedFile) }
        }
    }

    /// Every prefix of a valid file either parses to fewer whole frames (cut at a
    /// frame boundary) or fails with a located error — never a partial frame, and
    /// never a number cut short ("-0.3" read as "-0.").
    @Test func everyTruncationIsCleanForExtXYZ() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = [Sample.frame(seed: 1, atoms: 3), Sample.frame(seed: 2, atoms: 3)]
        let full = Array(ExtXYZ.format(frames[0]).utf8) + Array(ExtXYZ.format(frames[1]).utf8)
        let boundary = ExtXYZ.format(frames[0]).utf8.count
        for cut in 1..<full.count {
            let url = try dir.write(bytes: Array(full[0..<cut]), to: "cut.extxyz")
            do {
                let got = try ExtXYZ.read(url)
                #expect(got.count == 1 && cut == boundary, "cut \(cut) read \(got.count) frames")
            } catch let e as GyreError {
                #expect(e.code == .malformedFile)
            }
        }
    }

    @Test func truncatedLAMMPSDataAndDeepmd() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = Sample.frame(seed: 5, atoms: 4, labelled: false)
        let text = try LAMMPSData.format(f, typeMap: ["Cu", "Au"])
        for cut in stride(from: text.count / 2, to: text.count - 1, by: 1) {
            let url = try dir.write(String(text.prefix(cut)), to: "cut.data")
            do {
                let got = try LAMMPSData.read(url)
                Issue.record("cut at \(cut) of \(text.count) read \(got.count) atoms")
            } catch let e as GyreError {
                #expect(e.code == .malformedFile)
            }
        }
        // A deepmd system whose force.npy lost its last bytes.
        try DeepmdNpy.write([Sample.frame(seed: 1, atoms: 4)], to: dir.file("sys"), typeMap: ["Cu", "Au"])
        let force = dir.file("sys/set.000/force.npy")
        let bytes = try Data(contentsOf: force)
        try bytes.dropLast(8).write(to: force)
        expectMalformed { _ = try DeepmdNpy.read(dir.file("sys")) }
    }
}
