import Foundation

/// Reads an extxyz trajectory one frame at a time, parsing on all cores: the
/// frames' lines are cut from the file a block at a time (``ExtXYZBlock``), the
/// block's frames are parsed in parallel and handed out in file order. Memory
/// holds one block (about 4 MB of text, or one larger frame) and its frames,
/// whatever the file size. Blocks start small (1, 2, 4, … frames), so reading
/// only the first frames of a file parses little more than those.
///
///     var reader = try ExtXYZReader(url: url)
///     while let frame = try reader.next() { … }
public struct ExtXYZReader {
    private let lines: LineReader
    private let framesPerBlock: Int
    private let bytesPerBlock: Int
    private let bytesPerRun: Int
    private var nextBlockFrames = 1
    /// The current block's frames, parsed or the error that stopped each, in file order.
    private var parsed: [Result<Frame, any Error>] = []
    private var handedOut = 0
    /// What follows the current block's frames: the error that stopped the cutting,
    /// or (when `isLast`) the end of the file.
    private var end: (any Error)?
    private var isLast = false

    public init(url: URL) throws {
        try self.init(url: url, framesPerBlock: 4096, bytesPerBlock: 4 << 20)
    }

    /// A reader whose blocks hold at most `framesPerBlock` frames and stop
    /// growing once they hold `bytesPerBlock` bytes of text; each parallel task
    /// parses about `bytesPerRun` of a block (tests make all three tiny).
    init(url: URL, framesPerBlock: Int, bytesPerBlock: Int, bytesPerRun: Int = 64 << 10) throws {
        lines = try LineReader(url: url)
        self.framesPerBlock = max(1, framesPerBlock)
        self.bytesPerBlock = bytesPerBlock
        self.bytesPerRun = bytesPerRun
    }

    /// The next frame, or nil at the end of the file. After an error, every
    /// further call throws it again.
    public mutating func next() throws -> Frame? {
        while handedOut == parsed.count {
            if let end { throw end }
            if isLast { return nil }
            try readBlock()
        }
        let frame = try parsed[handedOut].get()
        handedOut += 1
        return frame
    }

    private mutating func readBlock() throws {
        let block = ExtXYZBlock(cutting: lines, maxFrames: nextBlockFrames, maxBytes: bytesPerBlock)
        nextBlockFrames = min(framesPerBlock, nextBlockFrames * 2)
        parsed = try Self.parse(block, path: lines.path, bytesPerRun: bytesPerRun)
        handedOut = 0
        end = block.end
        isLast = block.isLast
    }

    /// Parses a block's frames in runs of consecutive frames holding about
    /// `bytesPerRun` of text, on all cores; a block of one run is parsed on the
    /// calling thread, where starting threads would cost more than they save.
    private static func parse(_ block: ExtXYZBlock, path: String, bytesPerRun: Int) throws -> [Result<Frame, any Error>] {
        let runs = block.runs(bytesPerRun: bytesPerRun)
        guard runs.count > 1 else { return runs.first.map { parse(block, run: $0, path: path) } ?? [] }
        return try ParallelMap.map(runs.count) { k in parse(block, run: runs[k], path: path) }.flatMap { $0 }
    }

    private static func parse(_ block: ExtXYZBlock, run: Range<Int>, path: String) -> [Result<Frame, any Error>] {
        var parser = ExtXYZFrameParser(path: path)
        return block.withLines { lines in
            block.frames[run].map { text in Result { try parser.parse(text, in: lines) } }
        }
    }
}
