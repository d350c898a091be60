/// The cells of an iteration's table row, shared by the text and HTML tables.
extension IterationReport {
    /// iteration, stage, conditions, sampled, acc %, cand %, fail %, trust window.
    var frameCells: [String] {
        var marker = ""
        if converged == true { marker = " ✓" } else if state == "running" { marker = " …" }
        var cells: [String] = [name + marker, stage, isFinal ? "–" : String(conditions)]
        if let f = frames {
            cells.append(String(f.sampled))
            cells.append(ReportFormat.percent(f.accuratePercent))
            cells.append(ReportFormat.percent(f.candidatePercent))
            cells.append(ReportFormat.percent(f.failedPercent))
        } else {
            cells.append(contentsOf: ["–", "–", "–", "–"])
        }
        cells.append(ReportFormat.window(trust))
        return cells
    }

    /// picked, done (with the duplicates not added, if any), failed.
    var labelCells: [String] {
        guard let labels else { return ["–", "–", "–"] }
        let done = labels.duplicates > 0 ? "\(labels.done) (\(labels.duplicates) dup)" : String(labels.done)
        return [String(labels.picked), done, String(labels.failed)]
    }

    /// Out-of-sample force and energy, training force and energy.
    var errorCells: [String] {
        let cells: [String] = [
            ReportFormat.force(holdout?.forceRMSE), ReportFormat.milli(holdout?.energyRMSEPerAtom),
            ReportFormat.force(training?.forceRMSE), ReportFormat.milli(training?.energyRMSEPerAtom),
        ]
        return cells
    }

    /// Wall time of each step kind, then the overhead.
    var timeCells: [String] {
        var cells: [String] = StepKind.allCases.map { ReportFormat.stepTime(self, $0) }
        cells.append(ReportFormat.duration(overheadSeconds))
        return cells
    }
}
