/// Where in an input a problem is: a file, and when known a 1-based line and
/// column or a byte offset. Printed the way editors jump to it: `file:line:col`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        } else if let byteOffset {
            s += ": byte \(byteOffset)"
        }
        return s
    }
}

/// Gyre's one error type: a code callers can switch on, a message for people,
/// where it happened, and what caused it. New codes can be added without
/// breaking callers.
public struct GyreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The workflow or a command-line value is invalid (exit code 2).
        public static let invalidInput = Code("invalid-input")
        /// A file's content does not follow its format.
        public static let malformedFile = Code("malformed-file")
        /// Reading or writing a file failed.
        public static let io = Code("io")
        /// An engine's outputs are missing, incomplete or rejected.
        public static let engineOutput = Code("engine-output")
        /// The journal or the workdir disagree with what is asked.
        public static let journal = Code("journal")
        /// Running a command failed.
        public static let execution = Code("execution")
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    public var description: String {
        var s = location.map { "\($0): " } ?? ""
        s += message
        if let cause { s += " (\(cause))" }
        return s
    }
}
