import Foundation

/// The selection report file: the whole ``SelectionOutcome`` as JSON, written
/// atomically so a crash never leaves a half report in `select/`.
public enum SelectionReport {
    /// Writes `outcome` to `url` (temp file + rename).
    public static func write(_ outcome: SelectionOutcome, to url: URL) throws {
        try AtomicFile.write(encode(outcome), to: url)
    }

    /// Reads a report written by ``write(_:to:)``.
    public static func read(_ url: URL) throws -> SelectionOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GyreError(.io, "cannot read the selection report", at: SourceLocation(file: url.path))
        }
        do {
            return try JSONDecoder().decode(SelectionOutcome.self, from: data)
        } catch {
            throw GyreError(.malformedFile, "not a selection report: \(error)", at: SourceLocation(file: url.path))
        }
    }

    /// The report's JSON (sorted keys: stable diffs between runs; non-finite numbers as strings).
    public static func encode(_ outcome: SelectionOutcome) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(outcome)
    }

    /// A one-line summary for the journal and the log.
    public static func summary(_ o: SelectionOutcome) -> String {
        let total = o.counts.reduce(0) { $0 + $1.sampled }
        func pct(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
        return "selected \(o.picked.count) of \(total) frames (accurate \(pct(o.accurateFraction)), candidate \(pct(o.candidateFraction)), failed \(pct(o.failedFraction))); "
            + "window f [\(o.window.forceLo), \(o.window.forceHi))\(o.window.adaptive ? " adaptive" : ""); "
            + "not picked: over budget \(o.notPicked.overBudget), filtered \(o.notPicked.filtered)"
    }
}
