/// Reads typed values out of a YAML node tree, as the schema expects them,
/// and collects every problem with its location instead of stopping at the
/// first. Scalars are typed here, by what the schema wants: `no` is a string
/// where a name is expected and an error where a boolean is expected only if
/// it is not a boolean spelling; a quoted "7" is never a number.
final class SchemaReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ message: String, at mark: Mark, notes: [(String, Mark)] = []) {
        diagnostics.append(Diagnostic(
            .error, message, at: location(mark),
            notes: notes.map { Diagnostic(.note, $0.0, at: location($0.1)) }))
    }

    /// A problem in another file the workflow names (a template), located in that file.
    func error(_ message: String, in location: SourceLocation, notes: [(String, Mark)] = []) {
        diagnostics.append(Diagnostic(.error, message, at: location, notes: notes.map { Diagnostic(.note, $0.0, at: self.location($0.1)) }))
    }

    func warning(_ message: String, at mark: Mark) {
        diagnostics.append(Diagnostic(.warning, message, at: location(mark)))
    }

    // MARK: Mappings

    /// The node as a mapping whose keys must be among `keys`; unknown keys are
    /// reported with a did-you-mean. Nil (and an error) when it is not a mapping.
    func fields(_ node: Node, _ path: KeyPath, keys: [String], context: String? = nil) -> Fields? {
        guard case .mapping(let pairs) = node.content else {
            let subject = path.description.isEmpty ? "a workflow" : "\(path)"
            error("\(subject) must be a mapping (`key: value` lines), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        var entries: [String: Node.Pair] = [:]
        var unknown: [String] = []
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if keys.contains(key) {
                entries[key] = pair
            } else {
                unknown.append(key)
                let scope = context ?? (path.description.isEmpty ? "a workflow" : "`\(path)`")
                error(
                    "unknown key `\(path / key)`: \(scope) accepts \(Self.list(keys))"
                        + Suggestion.phrase(for: key, among: keys),
                    at: pair.key.mark)
            }
        }
        return Fields(
            path: path, node: node, entries: entries, order: pairs.compactMap(\.key.scalarText),
            suggested: Set(unknown.compactMap { Suggestion.closest(to: $0, among: keys) }))
    }

    static func list(_ words: [String]) -> String {
        words.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// Reports a missing required key at the mapping that lacks it.
    /// A key written but left empty (`name:`) is reported at the key; a key
    /// missing because it was mistyped is not reported twice (the unknown key
    /// already says "did you mean").
    func required(_ fields: Fields, _ key: String, hint: String = "") -> Node? {
        if let node = fields[key] { return node }
        if let pair = fields.entries[key] {
            error("`\(fields.path / key)` is empty; it needs a value\(hint)", at: pair.key.mark)
        } else if !fields.suggested.contains(key) {
            error("missing required key `\(fields.path / key)`\(hint)", at: fields.node.mark)
        }
        return nil
    }

    // MARK: Scalars

    /// Any scalar as text (quoted or not). Collections and null are errors.
    func string(_ node: Node, _ path: KeyPath) -> String? {
        guard case .scalar(let s) = node.content, !node.isNull else {
            error("\(path) must be text, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return s.text
    }

    /// A number written as one: plain `300`, `1e3`, `-0.5`. A quoted "7" is an
    /// error that says so; `.inf` and `.nan` are rejected (numbers must be finite).
    func number(_ node: Node, _ path: KeyPath) -> Double? {
        guard case .scalar(let s) = node.content, !node.isNull else {
            error("\(path) must be a number, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        guard s.isPlain else {
            if Self.parseNumber(s.text) != nil {
                error("\(path) must be a number, found the quoted string \"\(s.text)\"; remove the quotes", at: node.mark)
            } else {
                error("\(path) must be a number, found \(node.kindDescription)", at: node.mark)
            }
            return nil
        }
        let lowered = s.text.lowercased()
        if [".inf", "+.inf", "-.inf", ".nan", "inf", "-inf", "nan"].contains(lowered) {
            error("\(path) must be a finite number, found `\(s.text)`", at: node.mark)
            return nil
        }
        guard let value = Self.parseNumber(s.text) else {
            error("\(path) must be a number, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        guard value.isFinite else {
            error("\(path) must be a finite number, found `\(s.text)`", at: node.mark)
            return nil
        }
        return value
    }

    /// A whole number; `1e3` is accepted (it is exactly 1000), `2.5` is not.
    func integer(_ node: Node, _ path: KeyPath) -> Int? {
        guard let value = number(node, path) else { return nil }
        guard value == value.rounded(), abs(value) < 9.0e15 else {
            error("\(path) must be a whole number, found `\(node.scalarText ?? "")`", at: node.mark)
            return nil
        }
        return Int(value)
    }

    func bool(_ node: Node, _ path: KeyPath) -> Bool? {
        if case .scalar(let s) = node.content, s.isPlain {
            switch s.text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error("\(path) must be true or false, found \(node.kindDescription)", at: node.mark)
        return nil
    }

    /// One of a fixed set of words, with a did-you-mean.
    func choice(_ node: Node, _ path: KeyPath, among options: [String]) -> String? {
        guard let text = string(node, path) else { return nil }
        guard options.contains(text) else {
            error(
                "\(path) must be one of \(Self.list(options)), found `\(text)`"
                    + Suggestion.phrase(for: text, among: options),
                at: node.mark)
            return nil
        }
        return text
    }

    // MARK: Lists

    /// The items of a list. A single scalar where a list is expected is an
    /// error (it is usually a forgotten pair of brackets, and silently wrapping
    /// it hides mistakes in longer lists).
    func items(_ node: Node, _ path: KeyPath, nonEmpty: Bool = true) -> [Node]? {
        guard case .sequence(let items) = node.content else {
            error("\(path) must be a list (`[a, b]` or `- a` lines), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        if nonEmpty && items.isEmpty {
            error("\(path) must not be empty", at: node.mark)
            return nil
        }
        return items
    }

    func numbers(_ node: Node, _ path: KeyPath) -> [(Double, Mark)]? {
        guard let items = items(node, path) else { return nil }
        var out: [(Double, Mark)] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let v = number(item, path.index(i)) { out.append((v, item.mark)) } else { ok = false }
        }
        return ok ? out : nil
    }

    func strings(_ node: Node, _ path: KeyPath) -> [(String, Mark)]? {
        guard let items = items(node, path) else { return nil }
        var out: [(String, Mark)] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let v = string(item, path.index(i)) { out.append((v, item.mark)) } else { ok = false }
        }
        return ok ? out : nil
    }

    /// YAML 1.2 core-schema numbers: decimal integers and floats, with optional exponent.
    static func parseNumber(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count < 64 else { return nil }
        // Underscores are YAML 1.1 digit separators; libyaml-era files use them (1_000).
        bytes.removeAll { $0 == UInt8(ascii: "_") }
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < bytes.count, isDigit(bytes[i]) { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < bytes.count, isDigit(bytes[i]) { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == bytes.count else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}

/// A mapping's entries by key, with the path and node for locating errors.
struct Fields {
    let path: KeyPath
    let node: Node
    let entries: [String: Node.Pair]
    /// Keys in the order written: some errors are reported in file order.
    let order: [String]
    /// Known keys that an unknown key was reported as a likely typo of.
    var suggested: Set<String> = []

    subscript(key: String) -> Node? {
        guard let pair = entries[key], !pair.value.isNull else { return nil }
        return pair.value
    }

    func has(_ key: String) -> Bool { entries[key] != nil }

    func keyMark(_ key: String) -> Mark? { entries[key]?.key.mark }

    var presentKeys: [String] { order.filter { entries[$0] != nil } }
}
