import Foundation
import Testing
@testable import GyreCore

/// The extxyz reader cuts the file into blocks of frames and parses each block
/// on all cores: frames must come out whole and in order, and errors must point
/// at the same file line whatever the block and task sizes.
@Suite struct FormatsExtXYZBlockReadTests {
    /// (frames per block, bytes per block, bytes per parallel task): tiny sizes put
    /// block edges and task edges everywhere, including inside one frame's budget.
    static let sizes: [(Int, Int, Int)] = [(1, 1 << 20, 1), (2, 1, 1), (3, 200, 1), (7, 1 << 20, 300), (64, 1 << 20, 1), (4096, 4 << 20, 64 << 10)]

    static func readAll(_ url: URL, _ size: (Int, Int, Int)) throws -> [Frame] {
        var reader = try ExtXYZReader(url: url, framesPerBlock: size.0, bytesPerBlock: size.1, bytesPerRun: size.2)
        var frames: [Frame] = []
        while let f = try reader.next() { frames.append(f) }
        return frames
    }

    /// Reads until the reader throws: the frames handed out before, and the error.
    static func readUntilError(_ url: URL, _ size: (Int, Int, Int)) throws -> (frames: Int, error: GyreError?) {
        var reader = try ExtXYZReader(url: url, framesPerBlock: size.0, bytesPerBlock: size.1, bytesPerRun: size.2)
        var n = 0
        do {
            while try reader.next() != nil { n += 1 }
        } catch let e as GyreError {
            return (n, e)
        }
        return (n, nil)
    }

    @Test(arguments: sizes)
    func framesSpanningBlockEdgesComeOutWholeInOrder(_ size: (Int, Int, Int)) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = FormatsExtXYZParallelTests.frames
        // Blank lines and CRLF line ends between some frames: neither is a frame.
        let text = frames.enumerated().map { i, f in
            let t = ExtXYZ.format(f)
            return i % 4 == 1 ? "\n  \n" + t : (i % 6 == 2 ? t.replacingOccurrences(of: "\n", with: "\r\n") : t)
        }.joined()
        let url = try dir.write(text, to: "mixed.extxyz")
        #expect(try Self.readAll(url, size) == frames)
    }

    /// The 1-based line (and column) of the first occurrence of `needle` in `text`.
    static func location(of needle: String, in text: String) throws -> (line: Int, column: Int) {
        let range = try #require(text.range(of: needle))
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.utf8.count - (before.lastIndex(of: "\n").map { before.utf8.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
        return (line, column)
    }

    /// Frames 0..<errorFrame are fine; the error frame has a bad number in its
    /// last atom line, and a later frame another: the first one is reported, at
    /// its true line and column, after every frame before it was handed out.
    @Test(arguments: sizes)
    func errorInALaterBlockReportsItsTrueLine(_ size: (Int, Int, Int)) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let errorFrame = 23
        var texts = (0..<30).map { ExtXYZ.format(Sample.frame(seed: UInt64($0 + 1), atoms: 1 + $0 % 4)) }
        texts[errorFrame] = texts[errorFrame].replacingOccurrences(of: "Au ", with: "Au 1.5e+x ")
        texts[27] = texts[27].replacingOccurrences(of: "Cu ", with: "Cu nan ")
        let text = texts.enumerated().map { $0 % 5 == 0 ? "\n" + $1 : $1 }.joined()
        let url = try dir.write(text, to: "bad.extxyz")
        let expected = try Self.location(of: "1.5e+x", in: text)
        let (read, error) = try Self.readUntilError(url, size)
        #expect(read == errorFrame)
        let e = try #require(error)
        #expect(e.code == .malformedFile)
        #expect(e.location == SourceLocation(file: url.path, line: expected.line, column: expected.column))
        #expect(e.message.contains("1.5e+x"))
    }

    /// A bad atom count, met while cutting a later block, also comes after the frames before it.
    @Test(arguments: sizes)
    func badCountInALaterBlockReportsItsTrueLine(_ size: (Int, Int, Int)) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let texts = (0..<12).map { ExtXYZ.format(Sample.frame(seed: UInt64($0 + 1), atoms: 2)) }
        let text = texts[..<9].joined() + "\n99999999999\n" + texts[9...].joined()
        let url = try dir.write(text, to: "count.extxyz")
        let (read, error) = try Self.readUntilError(url, size)
        #expect(read == 9)
        let e = try #require(error)
        // After the nine frames' lines comes a blank line, then the count.
        #expect(e.location == SourceLocation(file: url.path, line: texts[..<9].joined().filter { $0 == "\n" }.count + 2, column: 1))
        #expect(e.message.contains("header claims 99999999999 atoms"))
    }

    /// A file whose last frame lacks its last atom line: the whole frames come
    /// out, then an error at the line after the end of the file, never a short
    /// frame. With one frame per block (by count or by bytes) the short frame is a
    /// block of its own and the file ends exactly at that block's edge.
    @Test(arguments: 1...5)
    func truncatedFrameAtTheEndOfABlockIsAnError(_ frameCount: Int) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let full = (0..<frameCount).map { ExtXYZ.format(Sample.frame(seed: UInt64($0 + 1), atoms: 3)) }.joined()
        var lines = full.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        lines.removeLast()
        let url = try dir.write(lines.joined(separator: "\n") + "\n", to: "short.extxyz")
        for size in [(frameCount, 1 << 20, 1)] + Self.sizes {
            let (read, error) = try Self.readUntilError(url, size)
            #expect(read == frameCount - 1, "\(size)")
            let e = try #require(error, "\(size)")
            #expect(e.code == .malformedFile)
            #expect(e.location == SourceLocation(file: url.path, line: lines.count + 1))
            #expect(e.message.contains("expected atom line 3 of 3"))
        }
    }

    /// After an error the reader keeps reporting it instead of reading on from the middle of a frame.
    @Test func errorIsRepeatedOnTheNextCall() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = ExtXYZ.format(Sample.frame(seed: 1)).replacingOccurrences(of: "Cu ", with: "Cu x ")
            + ExtXYZ.format(Sample.frame(seed: 2))
        let url = try dir.write(text, to: "again.extxyz")
        var reader = try ExtXYZReader(url: url)
        let first = expectMalformed { _ = try reader.next() }
        let second = expectMalformed { _ = try reader.next() }
        #expect(first?.location == second?.location)
    }

    @Test func runsCoverEveryFrameOnce() {
        #expect(ExtXYZ.runs([5, 5, 5, 20, 1], reaching: 10) == [0..<2, 2..<4, 4..<5])
        #expect(ExtXYZ.runs([], reaching: 10).isEmpty)
        #expect(ExtXYZ.runs([3], reaching: 10) == [0..<1])
    }
}
