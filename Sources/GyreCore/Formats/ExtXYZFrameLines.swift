/// One frame's comment and atom lines handed out in order, each with its file
/// line number, so errors point into the file although the frame is parsed
/// from a block in memory.
struct ExtXYZFrameLines {
    let path: String
    private let text: ExtXYZBlock.FrameText
    private let block: ExtXYZBlock.Lines
    private var index: Int
    /// 1-based file line number of the line last handed out.
    private(set) var lineNumber: Int

    init(path: String, text: ExtXYZBlock.FrameText, block: ExtXYZBlock.Lines) {
        self.path = path
        self.text = text
        self.block = block
        index = text.lines.lowerBound
        lineNumber = text.countLine
    }

    /// The next line of the frame, or the error that cut the frame short.
    mutating func next() throws -> UnsafeBufferPointer<UInt8> {
        guard index < text.lines.upperBound else {
            throw text.shortBy ?? GyreError(.malformedFile, "unexpected end of frame",
                                            at: SourceLocation(file: path, line: lineNumber + 1))
        }
        let line = block[index]
        index += 1
        lineNumber += 1
        return line
    }

    /// A malformed-file error at the line last handed out.
    func error(_ message: String, column: Int? = nil) -> GyreError {
        GyreError(.malformedFile, message, at: SourceLocation(file: path, line: lineNumber, column: column))
    }
}
