import Foundation

/// Judges a finished LAMMPS exploration task from its files: `log.lammps`
/// (errors, lost atoms, whether the run reached its end), `model_devi.out`
/// (present, one row per sample) and the dump. Reasons quote the log, which
/// is where LAMMPS writes its errors (its stderr holds only library noise).
public enum LAMMPSRunCheck {
    /// nil when the task's outputs are complete; else why not, with the end of `log.lammps`.
    public static func rejection(_ directory: URL, expectedRows: Int) -> String? {
        let log = directory.appendingPathComponent(LAMMPSInputWriter.logName)
        guard let text = try? String(contentsOf: log, encoding: .utf8) else {
            return "no \(LAMMPSInputWriter.logName) was written"
        }
        if let problem = problem(inLog: text) { return problem }
        // LAMMPS prints the wall time last; a log without it was cut short (killed, node lost).
        guard text.contains("Total wall time:") else {
            return "\(LAMMPSInputWriter.logName) stops before the end of the run: \(tail(text))"
        }
        let deviations = directory.appendingPathComponent(LAMMPSInputWriter.modelDeviationName)
        guard let rows = try? dataRows(deviations) else {
            return "no \(LAMMPSInputWriter.modelDeviationName) was written (does the template's pair_style deepmd line "
                + "use {{deviation_keywords}} and more than one model?)"
        }
        guard rows == expectedRows else {
            return "\(LAMMPSInputWriter.modelDeviationName) has \(rows) rows, expected \(expectedRows) (step 0 and every sample_every steps)"
        }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(LAMMPSInputWriter.dumpName).path) else {
            return "no \(LAMMPSInputWriter.dumpName) was written (the template must dump `id type x y z` to it)"
        }
        return nil
    }

    /// Why a run that exited with an error status failed, from the end of its log; nil without a log.
    public static func failureDetail(_ directory: URL) -> String? {
        let log = directory.appendingPathComponent(LAMMPSInputWriter.logName)
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return nil }
        return problem(inLog: text) ?? tail(text)
    }

    /// The first `ERROR` (with LAMMPS's following "Last command" line) or a
    /// "Lost atoms" warning (`thermo_modify lost warn` keeps the run going on a broken system).
    static func problem(inLog text: String) -> String? {
        let lines = text.split(whereSeparator: \.isNewline)
        if let i = lines.firstIndex(where: { $0.hasPrefix("ERROR") }) {
            let context = lines[(i + 1)...].prefix(1).filter { $0.hasPrefix("Last ") || $0.hasPrefix("For more information") }
            return clip(([lines[i]] + context).joined(separator: "; "))
        }
        if let lost = lines.first(where: { $0.contains("Lost atoms") }) {
            return clip(String(lost))
        }
        return nil
    }

    /// The last three non-blank lines of the log.
    static func tail(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return clip(lines.suffix(3).joined(separator: " | "))
    }

    private static func clip(_ s: String) -> String {
        s.count > 400 ? String(s.prefix(400)) + "…" : s
    }

    /// Data rows (not comments or blank lines) of a model_devi.out.
    private static func dataRows(_ url: URL) throws -> Int {
        let lines = try LineReader(url: url)
        var rows = 0
        while let line = try lines.nextLine() {
            var t = Tokens(line)
            guard let first = t.next(), first[0] != 35 else { continue }  // '#'
            rows += 1
        }
        return rows
    }
}
