/// The key=value pairs of an extxyz comment line, split the way ASE does:
/// whitespace separates pairs; a value may be "double-quoted" (with `\"`
/// escapes), {braced} or [bracketed]; a bare key means `T`. Keys compare
/// case-insensitively, as in ASE.
struct ExtXYZComment {
    private(set) var pairs: [(key: String, value: String)] = []
    private var lowercasedKeys: [String] = []

    /// Parses the line; the error message says what was wrong and at which 1-based column.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ExtXYZComment, CommentError> {
        var out = ExtXYZComment()
        let n = line.count
        var i = 0
        func skipSpace() { while i < n, Tokens.isSpace(line[i]) { i += 1 } }
        // Reads a bare, quoted or bracketed word starting at i; stops at whitespace or at `stopAtEquals`.
        func word(stopAtEquals: Bool) -> Result<[UInt8], CommentError> {
            var bytes: [UInt8] = []
            guard i < n else { return .success(bytes) }
            let open = line[i]
            if open == 34 || open == 39 {  // "…" or '…'
                let startColumn = i + 1
                i += 1
                while i < n, line[i] != open {
                    if line[i] == 92, i + 1 < n { i += 1 }  // backslash escape
                    bytes.append(line[i])
                    i += 1
                }
                guard i < n else { return .failure(CommentError(message: "unterminated quote", column: startColumn)) }
                i += 1
                return .success(bytes)
            }
            if open == 123 || open == 91 {  // {…} or […]
                let close: UInt8 = open == 123 ? 125 : 93
                let startColumn = i + 1
                i += 1
                while i < n, line[i] != close { bytes.append(line[i]); i += 1 }
                guard i < n else { return .failure(CommentError(message: "unterminated bracket", column: startColumn)) }
                i += 1
                return .success(bytes)
            }
            while i < n, !Tokens.isSpace(line[i]), !(stopAtEquals && line[i] == 61) {
                bytes.append(line[i])
                i += 1
            }
            return .success(bytes)
        }
        while true {
            skipSpace()
            guard i < n else { break }
            let keyColumn = i + 1
            let keyBytes: [UInt8]
            switch word(stopAtEquals: true) {
            case .success(let b): keyBytes = b
            case .failure(let e): return .failure(e)
            }
            guard !keyBytes.isEmpty, let key = String(validating: keyBytes, as: UTF8.self) else {
                return .failure(CommentError(message: "expected a key (key=value)", column: keyColumn))
            }
            skipSpace()
            var value = "T"
            if i < n, line[i] == 61 {
                i += 1
                skipSpace()
                let valueColumn = i + 1
                switch word(stopAtEquals: false) {
                case .success(let b):
                    guard let v = String(validating: b, as: UTF8.self) else {
                        return .failure(CommentError(message: "value of \(key) is not valid UTF-8", column: valueColumn))
                    }
                    value = v
                case .failure(let e): return .failure(e)
                }
            }
            out.pairs.append((key, value))
            out.lowercasedKeys.append(key.lowercased())
        }
        return .success(out)
    }

    /// The value of `key` (case-insensitive), the last one when repeated.
    subscript(key: String) -> String? {
        let k = key.lowercased()
        guard let i = lowercasedKeys.lastIndex(of: k) else { return nil }
        return pairs[i].value
    }

    struct CommentError: Error {
        var message: String
        var column: Int
    }
}
