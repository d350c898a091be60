import Foundation
import GyreCore

/// Prints diagnostics to stderr as `file:line:col: error: message`, the form
/// editors and CI annotate, with colour only when stderr is a terminal.
struct DiagnosticPrinter {
    let colour: Bool

    init() {
        colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { write(d) }
    }

    private func write(_ d: Diagnostic) {
        let label: String
        switch (d.severity, colour) {
        case (.error, true): label = "\u{1B}[1;31merror\u{1B}[0m"
        case (.warning, true): label = "\u{1B}[1;33mwarning\u{1B}[0m"
        case (.note, true): label = "\u{1B}[1;36mnote\u{1B}[0m"
        default: label = d.severity.rawValue
        }
        let location = colour ? "\u{1B}[1m\(d.location)\u{1B}[0m" : "\(d.location)"
        FileHandle.standardError.write(Data("\(location): \(label): \(d.message)\n".utf8))
        for note in d.notes { write(note) }
    }
}
