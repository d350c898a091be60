import Foundation

/// A `{{name}}` tag of a Mustache input template and where it was written,
/// so a mistyped placeholder is reported at its line instead of rendering
/// as an empty string in every task.
public struct TemplatePlaceholder: Sendable, Hashable {
    public var name: String
    /// 1-based, in the template file.
    public var line: Int
    public var column: Int
}

public enum TemplatePlaceholders {
    /// The names a template refers to: variables (`{{x}}`, `{{{x}}}`, `{{&x}}`)
    /// and sections (`{{#x}}`, `{{^x}}`); of a dotted name only its first part.
    /// Comments (which may span lines), pragmas, partials and closing tags
    /// name nothing to fill in. Scanning stops at a delimiter change
    /// (`{{=<% %>=}}`): what follows uses other delimiters.
    public static func scan(_ text: String) -> [TemplatePlaceholder] {
        let chars = Array(text.unicodeScalars)
        var out: [TemplatePlaceholder] = []
        var line = 1, lineStart = 0, i = 0
        func at(_ k: Int, _ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
            k + 1 < chars.count && chars[k] == a && chars[k + 1] == b
        }
        while i < chars.count {
            if chars[i] == "\n" {
                line += 1
                lineStart = i + 1
                i += 1
                continue
            }
            guard at(i, "{", "{") else { i += 1; continue }
            let (tagLine, column) = (line, i - lineStart + 1)
            var k = i + 2
            while k < chars.count, !at(k, "}", "}") {
                if chars[k] == "\n" {
                    line += 1
                    lineStart = k + 1
                }
                k += 1
            }
            guard k < chars.count else { break }
            var tag = String(String.UnicodeScalarView(chars[(i + 2)..<k])).trimmingCharacters(in: .whitespaces)
            i = k + 2
            if i < chars.count, chars[i] == "}" { i += 1 }
            guard let sigil = tag.first else { continue }
            switch sigil {
            case "=": return out
            case "!", "%", "/", ">", "<", "$": continue
            case "#", "^", "&", "{": tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            default: break
            }
            guard let name = tag.split(separator: ".").first.map(String.init), !name.isEmpty else { continue }
            out.append(TemplatePlaceholder(name: name, line: tagLine, column: column))
        }
        return out
    }
}
