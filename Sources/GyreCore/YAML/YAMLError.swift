/// A problem found while reading YAML, before any schema is applied.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var mark: Mark?
    /// A second place that explains the first, e.g. where a duplicate key was first defined.
    public var note: (message: String, mark: Mark)?

    public init(_ message: String, at mark: Mark?, note: (message: String, mark: Mark)? = nil) {
        self.message = message
        self.mark = mark
        self.note = note
    }

    public var description: String {
        var s = mark.map { "\($0): " } ?? ""
        s += message
        if let note { s += " (\(note.message) at \(note.mark))" }
        return s
    }
}
