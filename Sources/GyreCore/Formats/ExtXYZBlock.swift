/// The text of consecutive extxyz frames, cut from the file on one thread so
/// that the frames can then be parsed on all cores. Cutting reads only the
/// atom-count lines: the count says how many lines follow, so a frame's end is
/// found by counting lines, and its comment and atom lines are copied (without
/// their newlines) into one byte array.
struct ExtXYZBlock: Sendable {
    /// One frame's comment and atom lines, and where they came from.
    struct FrameText: Sendable {
        /// 1-based file line number of the atom-count line.
        var countLine: Int
        var natoms: Int
        /// Indices of the comment and atom lines in the block: natoms + 1 of them,
        /// or fewer when the file ended (or a line could not be read) first.
        var lines: Range<Int>
        /// Why there are fewer than natoms + 1 lines: thrown when the parser asks
        /// for the missing line, so a frame that is both short and otherwise broken
        /// reports what reading it line by line meets first.
        var shortBy: (any Error)?
    }

    /// The block's lines back to back; line i is bytes[lineStarts[i]..<lineStarts[i + 1]].
    private(set) var bytes: [UInt8] = []
    private(set) var lineStarts: [Int] = [0]
    private(set) var frames: [FrameText] = []
    /// What stopped the cutting where the next frame should have started (a bad
    /// atom count, an unreadable line): it follows `frames` and ends the stream.
    private(set) var end: (any Error)?
    /// True when nothing follows this block: the end of the file, `end`, or a short frame.
    private(set) var isLast = false

    /// Cuts the next frames: at most `maxFrames`, and no more once the block holds
    /// `maxBytes` (a larger frame still comes whole: a frame is never split).
    init(cutting lines: LineReader, maxFrames: Int, maxBytes: Int) {
        bytes.reserveCapacity(min(maxBytes, lines.remainingBytes))
        while frames.count < max(1, maxFrames), frames.isEmpty || bytes.count < maxBytes {
            do {
                guard let frame = try cutFrame(lines) else { isLast = true; return }
                frames.append(frame)
                if frame.shortBy != nil { isLast = true; return }
            } catch {
                end = error
                isLast = true
                return
            }
        }
    }

    /// Copies one frame's lines; nil at the end of the file. Throws for an atom
    /// count that is not one, or one the rest of the file cannot hold, before
    /// anything is allocated for it.
    private mutating func cutFrame(_ lines: LineReader) throws -> FrameText? {
        var header: UnsafeBufferPointer<UInt8>
        repeat {
            guard let line = try lines.nextLine() else { return nil }
            header = line
        } while Text.isBlank(header)
        var tokens = Tokens(header)
        guard let countToken = tokens.next(), let natoms = NumberParser.int(countToken), natoms >= 0 else {
            throw lines.error("expected the number of atoms, found \(Text.show(header))", column: 1)
        }
        // Each atom line takes at least 7 bytes ("H 0 0 0"): refuse counts the file cannot hold.
        guard natoms <= (lines.remainingBytes + 1) / 8 + 1 else {
            throw lines.error("header claims \(natoms) atoms but only \(lines.remainingBytes) bytes remain in the file", column: 1)
        }
        var frame = FrameText(countLine: lines.lineNumber, natoms: natoms, lines: lineStarts.count - 1..<lineStarts.count - 1)
        for k in 0...natoms {
            let line: UnsafeBufferPointer<UInt8>
            do {
                guard let l = try lines.nextLine() else {
                    frame.shortBy = lines.truncated(k == 0 ? "the extxyz comment line (Lattice=… Properties=…)"
                                                           : "atom line \(k) of \(natoms)")
                    break
                }
                line = l
            } catch {
                frame.shortBy = error
                break
            }
            bytes.append(contentsOf: line)
            lineStarts.append(bytes.count)
        }
        frame.lines = frame.lines.lowerBound..<lineStarts.count - 1
        return frame
    }

    /// The block's lines as byte buffers, valid inside `body`.
    func withLines<R>(_ body: (Lines) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try lineStarts.withUnsafeBufferPointer { s in try body(Lines(bytes: b, starts: s)) }
        }
    }

    struct Lines {
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>

        subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[starts[i]..<starts[i + 1]])
        }
    }
}

extension ExtXYZBlock {
    /// The frames in runs of consecutive frames holding about `bytesPerRun` bytes of text each.
    func runs(bytesPerRun: Int) -> [Range<Int>] {
        ExtXYZ.runs(frames.map { lineStarts[$0.lines.upperBound] - lineStarts[$0.lines.lowerBound] }, reaching: bytesPerRun)
    }
}
