import Foundation

extension RunReport {
    /// The terminal table: one row per iteration, stage boundaries as rules,
    /// the verdict of each stage and of the run underneath.
    public func text() -> String {
        let header = ["iter", "stage", "cond", "sampled", "acc%", "cand%", "fail%", "trust lo–hi",
                      "picked", "done", "lfail", "OOS F", "OOS E", "train F", "train E",
                      "train", "explore", "select", "label", "ingest", "overhead"]
        var table: [[String]?] = [header, nil]
        var stage: Int?
        for row in iterations {
            if let stage, stage != row.stageIndex { table.append(nil) }
            stage = row.stageIndex
            table.append(row.frameCells + row.labelCells + row.errorCells + row.timeCells)
        }
        var out = "\(run.name) — \(run.workdir) — \(run.state.rawValue), \(iterations.filter { !$0.isFinal }.count) iterations, "
            + "\(run.labels) labels, \(ReportFormat.duration(run.wallSeconds))\n\n"
        out += Self.layout(table)
        out += """

            OOS E/F: the iteration's ensemble (mean prediction) on the frames labelled in it, before training on them \
            (meV/atom, eV/Å). train E/F: mean over members of the training RMSE (train.done, or DeePMD-kit's final lcurve.out row). Step columns: wall time; \
            overhead: wall time with no task running (Gyre's own work and launch latency). trust: max force deviation \
            window, eV/Å (* adaptive lo). ✓ stage converged here, … in progress.

            """
        for s in stages {
            let verdict = s.convergedAt.map { "converged at \(WorkdirLayout.iterationName($0))" }
                ?? "not converged after \(s.iterations.count) iteration\(s.iterations.count == 1 ? "" : "s")"
            out += "stage \(s.name): \(verdict)\n"
        }
        out += "run: " + (run.state == .converged ? "converged; final ensemble trained"
            : run.state == .running ? "running" : "stopped before convergence") + "\n"
        out += "data set: \(dataSet.frames) frames"
            + (dataSet.duplicates > 0 ? " (\(dataSet.duplicates) labelled duplicates not added)" : "") + "\n"
        let finalFailures = failures.filter(\.final)
        if !failures.isEmpty {
            out += "\nfailed task attempts: \(failures.count + failuresOmitted) (\(finalFailures.count) listed failed for good)\n"
            for f in failures.suffix(10) {
                out += "  \(f.directory)\(f.final ? " [failed]" : " [retried]"): \(f.reason)\n"
            }
        }
        return out
    }

    /// Columns padded to their widest cell; nil rows are horizontal rules.
    static func layout(_ rows: [[String]?]) -> String {
        let columns = rows.compactMap { $0 }.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows.compactMap({ $0 }) {
            for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) }
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + "\n"
        return rows.map { row in
            guard let row else { return rule }
            return row.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                return k < 2 ? cell + pad : pad + cell
            }.joined(separator: " │ ") + "\n"
        }.joined()
    }
}
