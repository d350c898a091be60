import CYAML

/// Reads one YAML document into a `Node` tree through libyaml's event API,
/// keeping 1-based marks, rejecting duplicate keys, resolving anchors, aliases
/// and `<<` merge keys — all within fixed bounds, so a hostile file (an alias
/// bomb, 10,000-deep nesting, 50 MB of garbage) fails fast with a message.
public struct YAMLLoader: Sendable {
    /// Bounds on what one document may cost. Workflows are a few kilobytes.
    public struct Limits: Sendable {
        public var maxBytes = 4 << 20
        public var maxDepth = 128
        /// Nodes after alias expansion: what a consumer walking the tree visits.
        public var maxNodes = 200_000
        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The document's root node, or nil for an empty document (nothing but comments).
    /// A duplicate key is an error here; `loadReportingDuplicates` reports them all.
    public func load(_ bytes: [UInt8]) throws(YAMLError) -> Node? {
        let loaded = try loadReportingDuplicates(bytes)
        if let first = loaded.duplicates.first { throw first }
        return loaded.root
    }

    /// The root node and every duplicate key (each with the first definition as
    /// its note). The tree keeps the first value of a duplicated key, so a
    /// schema can still check the rest of the file in the same run.
    public func loadReportingDuplicates(_ bytes: [UInt8]) throws(YAMLError) -> (root: Node?, duplicates: [YAMLError]) {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(
                "the file is \(bytes.count) bytes; a workflow must be under \(limits.maxBytes >> 20) MiB", at: nil)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError("libyaml could not initialise a parser (out of memory)", at: nil)
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> (root: Node?, duplicates: [YAMLError]) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(limits: limits)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Self.parserError(parser, bytes: buffer)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.consume(event)
            }
            return (builder.root, builder.duplicates)
        }
    }

    private static func parserError(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown syntax error"
        let problemMark = Mark(parser.problem_mark)
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad encoding, control characters) give a byte offset, not a mark.
            let offset = min(max(0, Int(parser.problem_offset)), bytes.count)
            var message = "\(problem) at byte \(offset)"
            if parser.problem_value >= 0 {
                let hex = String(Int(parser.problem_value), radix: 16, uppercase: true)
                message += " (0x\(hex.count < 2 ? "0" + hex : hex))"
            }
            if problem.contains("UTF") || problem.contains("octet") {
                message += "; a workflow must be UTF-8 text"
            }
            return YAMLError(message, at: Mark(offset: offset, in: bytes))
        }
        var message = problem
        let index = Int(parser.problem_mark.index)
        if problem.contains("tab") || (index >= 0 && index < bytes.count && bytes[index] == 0x09) {
            message += "; YAML indents with spaces, not tabs"
        }
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextMark = Mark(parser.context_mark)
            if context.contains("flow sequence") && problem.contains("']'") {
                message += "; is the `[` opened at \(contextMark) missing its `]`?"
            } else if context.contains("flow mapping") && problem.contains("'}'") {
                message += "; is the `{` opened at \(contextMark) missing its `}`?"
            }
            return YAMLError(message, at: problemMark, note: (context, contextMark))
        }
        return YAMLError(message, at: problemMark)
    }
}

extension Mark {
    init(_ m: yaml_mark_t) {
        self.init(line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    /// The 1-based line and column of a byte offset, counting columns in characters
    /// (UTF-8 lead bytes) as libyaml does.
    init(offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var column = 1
        for b in bytes.prefix(offset) {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        self.init(line: line, column: column)
    }
}

/// Assembles nodes from events with an explicit stack (no recursion, so depth
/// is bounded by `maxDepth`, not by the thread's stack).
private struct TreeBuilder {
    private struct Open {
        var isMapping: Bool
        var mark: Mark
        var tag: String?
        var anchor: String?
        var children: [Node] = []
        /// The expanded-node counter when this collection opened: its size is the difference.
        var startCount: Int
    }

    let limits: YAMLLoader.Limits
    private var stack: [Open] = []
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var expanded = 0
    /// Whether any alias has been expanded: only then is a size overflow an alias bomb.
    private var sawAlias = false
    private var documents = 0
    private(set) var root: Node?
    /// Duplicate keys found so far; the first value of each key is kept.
    private(set) var duplicates: [YAMLError] = []

    init(limits: YAMLLoader.Limits) {
        self.limits = limits
    }

    mutating func consume(_ event: yaml_event_t) throws(YAMLError) {
        let mark = Mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLError("a workflow file holds one YAML document; a second one starts here", at: mark)
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = Self.string(s.value, length: s.length)
            let tag = s.tag.map { String(cString: $0) }
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE && tag == nil
            let node = Node(.scalar(.init(text: text, isPlain: plain)), mark: mark, tag: tag)
            try count(1, at: mark)
            try append(node, anchor: s.anchor.map { String(cString: $0) }, size: 1)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < limits.maxDepth else {
                throw YAMLError("nesting deeper than \(limits.maxDepth) levels", at: mark)
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            try count(1, at: mark)
            stack.append(Open(
                isMapping: isMapping, mark: mark, tag: tag.map { String(cString: $0) },
                anchor: anchor.map { String(cString: $0) }, startCount: expanded - 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let open = stack.popLast() else { return }
            let content: Node.Content
            if open.isMapping {
                content = .mapping(try pairs(open.children, mark: open.mark))
            } else {
                content = .sequence(open.children)
            }
            try append(Node(content, mark: open.mark, tag: open.tag), anchor: open.anchor, size: expanded - open.startCount)
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let target = anchors[name] else {
                throw YAMLError("alias *\(name) refers to no anchor &\(name) defined before it", at: mark)
            }
            sawAlias = true
            try count(target.size, at: mark)
            var node = target.node
            node.mark = mark
            try append(node, anchor: nil, size: target.size)
        default:
            break
        }
    }

    private mutating func count(_ n: Int, at mark: Mark) throws(YAMLError) {
        expanded += n
        if expanded > limits.maxNodes {
            throw YAMLError(
                sawAlias
                    ? "the document expands to more than \(limits.maxNodes) nodes (aliases included); is this an alias bomb?"
                    : "the document has more than \(limits.maxNodes) nodes; a workflow has a few hundred", at: mark)
        }
    }

    private mutating func append(_ node: Node, anchor: String?, size: Int) throws(YAMLError) {
        if let anchor { anchors[anchor] = (node, size) }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }

    /// Pairs up a mapping's children, applies `<<` merges and rejects duplicate keys.
    private mutating func pairs(_ children: [Node], mark: Mark) throws(YAMLError) -> [Node.Pair] {
        var own: [Node.Pair] = []
        var merged: [Node.Pair] = []
        var seen: [String: Mark] = [:]
        var index = 0
        while index + 1 < children.count {
            let key = children[index]
            let value = children[index + 1]
            index += 2
            guard case .scalar(let k) = key.content else {
                throw YAMLError("mapping keys must be plain text, not \(key.kindDescription)", at: key.mark)
            }
            if k.isPlain && k.text == "<<" {
                merged += try Self.mergeSources(value)
                continue
            }
            if let first = seen[k.text] {
                duplicates.append(YAMLError("duplicate key `\(k.text)`", at: key.mark, note: ("first defined here", first)))
                continue
            }
            seen[k.text] = key.mark
            own.append(Node.Pair(key: key, value: value))
        }
        // Keys written in the mapping itself win over merged ones, as YAML's merge spec says.
        for pair in merged {
            guard let text = pair.key.scalarText, seen[text] == nil else { continue }
            seen[text] = pair.key.mark
            own.append(pair)
        }
        return own
    }

    private static func mergeSources(_ value: Node) throws(YAMLError) -> [Node.Pair] {
        switch value.content {
        case .mapping(let pairs):
            return pairs
        case .sequence(let items):
            var all: [Node.Pair] = []
            for item in items {
                guard case .mapping(let pairs) = item.content else {
                    throw YAMLError("`<<` merges mappings only, found \(item.kindDescription)", at: item.mark)
                }
                all += pairs
            }
            return all
        case .scalar:
            throw YAMLError("`<<` merges mappings only, found \(value.kindDescription)", at: value.mark)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        // libyaml has already validated the encoding; decode with repair anyway, never trap.
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
