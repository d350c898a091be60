/// One problem found in a workflow, located in its file: printed as
/// `file:line:col: error: message` so editors jump to it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    /// Notes pointing elsewhere: "first defined here", "the stage is declared here".
    public var notes: [Diagnostic]

    public init(_ severity: Severity, _ message: String, at location: SourceLocation, notes: [Diagnostic] = []) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    public var description: String {
        ([line] + notes.map(\.line)).joined(separator: "\n")
    }

    private var line: String { "\(location): \(severity.rawValue): \(message)" }
}

/// The diagnostics of a workflow that failed to load: all of them, not only the first.
public struct WorkflowErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
