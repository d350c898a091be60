/// A 1-based position in a YAML file, as editors count.
public struct Mark: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A node of a YAML document with the place it was written. Scalars keep
/// their text and quoting style untyped: the schema decides what a scalar
/// means, so `no` stays the string "no" where a name is expected.
public struct Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Pair])
    }

    public struct Scalar: Sendable, Hashable {
        public var text: String
        /// Plain (unquoted) scalars are the only ones that may be read as numbers,
        /// booleans or null; a quoted "7" is a string.
        public var isPlain: Bool
    }

    public struct Pair: Sendable {
        public var key: Node
        public var value: Node
    }

    public var content: Content
    public var mark: Mark
    /// An explicit tag (`!!str`, `!foo`), if the file gave one.
    public var tag: String?

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    /// The scalar text, or nil for collections.
    public var scalarText: String? {
        if case .scalar(let s) = content { return s.text }
        return nil
    }

    /// A plain `~`, `null`, `Null`, `NULL` or empty scalar: YAML's null.
    public var isNull: Bool {
        guard case .scalar(let s) = content, s.isPlain, tag == nil else { return false }
        return s.text.isEmpty || s.text == "~" || s.text == "null" || s.text == "Null" || s.text == "NULL"
    }

    /// A short name of the node's kind for error messages: "a mapping", "the string \"x\"".
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if isNull { return "nothing (null)" }
            let shown = s.text.count > 40 ? String(s.text.prefix(40)) + "…" : s.text
            return s.isPlain ? "`\(shown)`" : "the quoted string \"\(shown)\""
        }
    }
}
