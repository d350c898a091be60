import Foundation

extension RunDriver {
    /// Classifies every sampled frame and picks what to label; writes
    /// select/report.json and select/picked.extxyz. Deterministic, so a
    /// resumed run that repeats it writes the same files.
    func select(iteration: IterationRecord, index: Int, stage: Stage, trajectories: [Trajectory]) throws -> IterationSummary {
        let step = try journal.beginStep(iteration: iteration.id, kind: .select)
        let dir = layout.url(layout.stepDirectory(iteration: index, .select))
        let summaryURL = dir.appendingPathComponent("summary.json")
        if step.state == .done, let data = try? Data(contentsOf: summaryURL),
            let summary = try? JSONDecoder().decode(IterationSummary.self, from: data)
        {
            return summary
        }
        // Candidates repeating a labelled structure are filtered: their labels would be dropped at
        // ingest. The journal holds each data frame's content digest, so the data files are not re-read.
        let labelled = Set(try journal.dataFrames().filter { !$0.duplicate }.map(\.contentHash))
        let selector = Selector(settings: workflow.select, stage: stage, seed: workflow.seed, iteration: index,
                                labelled: labelled)
        let (outcome, picked) = try selector.run(trajectories)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try SelectionReport.write(outcome, to: dir.appendingPathComponent("report.json"))
        try AtomicFile.write(picked.map(ExtXYZ.format).joined(), to: dir.appendingPathComponent("picked.extxyz"))
        let summary = IterationSummary(outcome, picked: picked.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(summary), to: summaryURL)
        try journal.finishStep(step.id)
        return summary
    }
}

extension IterationSummary {
    init(_ outcome: SelectionOutcome, picked: Int) {
        var sampled = 0, accurate = 0, candidate = 0, failed = 0
        for c in outcome.counts {
            sampled += c.sampled
            accurate += c.accurate
            candidate += c.candidate
            failed += c.failed
        }
        self.init(
            sampled: sampled, accurate: accurate, candidate: candidate, failed: failed, picked: picked,
            labelled: 0, labelsFailed: 0, trustLo: outcome.window.forceLo, trustHi: outcome.window.forceHi, converged: false)
    }
}
