/// POSIX shell quoting for values gyre writes into job scripts.
enum ShellQuote {
    /// `value` as one single-quoted shell word: nothing inside is expanded
    /// (`$`, backquotes, `\`, spaces, newlines), and a `'` becomes `'\''`.
    static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Each of `words` quoted, joined by spaces: an argv as a shell line.
    static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
