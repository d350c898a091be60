import Foundation

/// Judges a finished LAMMPS exploration task from its files: `log.lammps`
/// (errors, lost atoms, whether the run reached its end), `model_devi.out`
/// (present, one row per sample) and the dump (one snapshot per row, at the
/// same steps). Reasons quote the log, which is where LAMMPS writes its
/// errors (its stderr holds only library noise).
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
        guard FileManager.default.fileExists(atPath: deviations.path) else {
            return "no \(LAMMPSInputWriter.modelDeviationName) was written (does the template's pair_style deepmd line "
                + "use {{deviation_keywords}} and more than one model?)"
        }
        let steps: [Int]
        do {
            steps = try ModelDeviationReader.readAll(deviations).map(\.step)
        } catch {
            return "\(LAMMPSInputWriter.modelDeviationName) is unreadable: \(error)"
        }
        guard steps.count == expectedRows else {
            return "\(LAMMPSInputWriter.modelDeviationName) has \(steps.count) rows, expected \(expectedRows) (step 0 and every sample_every steps)"
        }
        let dump = directory.appendingPathComponent(LAMMPSInputWriter.dumpName)
        guard FileManager.default.fileExists(atPath: dump.path) else {
            return "no \(LAMMPSInputWriter.dumpName) was written (the template must dump `id type x y z` to it)"
        }
        // Selection takes row k's frame to be the dump's k-th snapshot: their steps must agree.
        do {
            var reader = try LAMMPSDumpReader(url: dump)
            var dumped: [Int] = []
            while let step = try reader.skip() { dumped.append(step) }
            guard dumped == steps else {
                return "\(LAMMPSInputWriter.dumpName) holds steps \(summary(dumped)) but \(LAMMPSInputWriter.modelDeviationName) "
                    + "\(summary(steps)): dump every sample_every steps, as the model deviation is written"
            }
        } catch {
            return "\(LAMMPSInputWriter.dumpName) is unreadable: \(error)"
        }
        return nil
    }

    /// The first steps of a list, for a message.
    private static func summary(_ steps: [Int]) -> String {
        steps.count <= 4 ? "\(steps)" : "[" + steps.prefix(3).map(String.init).joined(separator: ", ") + ", … (\(steps.count))]"
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
}
