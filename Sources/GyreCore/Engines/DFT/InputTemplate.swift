import Foundation
import Mustache

/// A user-editable input template (Mustache) for a reference code. Values are
/// inserted verbatim: these are input files, not HTML, so nothing is escaped.
public struct InputTemplate: Sendable {
    public let url: URL
    private let template: MustacheTemplate

    /// Reads and compiles the template now, so a broken template fails the
    /// run before any task is written rather than in the first label step.
    public init(contentsOf url: URL) throws {
        self.url = url
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GyreError(.io, "cannot read the input template: \(error.localizedDescription)", at: SourceLocation(file: url.path))
        }
        // The pragma switches off HTML escaping for `{{key}}` as well as `{{{key}}}`.
        let pragma = "{{% CONTENT_TYPE: TEXT}}"
        do {
            template = try MustacheTemplate(string: pragma + text)
        } catch let e as MustacheTemplate.ParserError {
            // The pragma shares the template's first line: columns there are shifted by its length.
            let line = e.context.lineNumber
            let column = line == 1 ? max(1, e.context.columnNumber - pragma.count) : e.context.columnNumber
            throw GyreError(.malformedFile, "the input template is not valid Mustache: \(e.error)",
                            at: SourceLocation(file: url.path, line: line, column: column))
        } catch {
            throw GyreError(.malformedFile, "the input template is not valid Mustache: \(error)", at: SourceLocation(file: url.path))
        }
    }

    /// The template filled with `values` (strings, numbers, and booleans for sections).
    public func render(_ values: [String: Any]) -> String {
        template.render(values)
    }
}
