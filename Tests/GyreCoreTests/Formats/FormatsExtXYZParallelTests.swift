import Foundation
import Testing
@testable import GyreCore

/// The extxyz writer formats pieces of frames on all cores: the file must still
/// be exactly the frames' texts in order, whatever the piece boundaries.
@Suite struct FormatsExtXYZParallelTests {
    /// Frames of mixed sizes and kinds: empty, tiny, larger than a piece, with and without labels or cell.
    static let frames: [Frame] = (0..<90).map { i in
        let atoms = i == 7 ? 0 : (i % 10 == 3 ? 70 : 1 + (i * 7) % 23)
        return Sample.frame(seed: UInt64(i + 1), atoms: atoms, species: ["O", "H", "Cu"],
                            labelled: i % 3 != 0, cell: i % 5 != 4)
    }

    static var frameByFrame: Data {
        Data(frames.map { ExtXYZ.format($0) }.joined().utf8)
    }

    @Test(arguments: [1, 7, 64, 4096])
    func parallelBytesEqualFrameByFrameFormat(atomsPerPiece: Int) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = dir.file("p.extxyz")
        let out = try FileWriter(url: url)
        try ExtXYZ.write(Self.frames, into: out, atomsPerPiece: atomsPerPiece)
        try out.close()
        #expect(try Data(contentsOf: url) == Self.frameByFrame)
        #expect(try ExtXYZ.read(url) == Self.frames)
    }

    @Test func writeThenAppendKeepsOrder() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = dir.file("t.extxyz")
        try ExtXYZ.write(Array(Self.frames[..<40]), to: url)
        try ExtXYZ.append(Array(Self.frames[40...]), to: url)
        #expect(try Data(contentsOf: url) == Self.frameByFrame)
    }

    @Test func piecesCoverEveryFrameOnceInOrder() {
        let sizes = Self.frames.map(\.count)
        for atomsPerPiece in [1, 7, 64, 4096] {
            let pieces = ExtXYZ.pieces(Self.frames, atomsPerPiece: atomsPerPiece)
            #expect(pieces.first?.lowerBound == 0)
            #expect(pieces.last?.upperBound == Self.frames.count)
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            // A piece only grows past the limit by its last frame.
            #expect(pieces.allSatisfy { p in p.count == 1 || sizes[p.dropLast()].reduce(0, +) < atomsPerPiece })
        }
        #expect(ExtXYZ.pieces([], atomsPerPiece: 10).isEmpty)
    }
}
