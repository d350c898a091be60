extension SelectionPlan {
    /// Assembles the report: counts per system × condition, picks with origins, reasons for the rest.
    func outcome(_ scan: ScanResult, state: PickState) -> SelectionOutcome {
        var keys: [String] = []
        var counts: [String: ConditionCounts] = [:]
        var summaries: [TrajectorySummary] = []
        for (t, tally) in scan.tallies.enumerated() {
            let traj = trajectories[t]
            let key = traj.system + "\u{0}" + traj.condition
            if counts[key] == nil {
                keys.append(key)
                counts[key] = ConditionCounts(system: traj.system, condition: traj.condition, sampled: 0, skipped: 0,
                                              accurate: 0, candidate: 0, failed: 0, picked: 0, filtered: 0, overBudget: 0)
            }
            counts[key]?.sampled += tally.sampled
            counts[key]?.skipped += tally.rows - tally.sampled
            counts[key]?.accurate += tally.accurate
            counts[key]?.candidate += tally.candidate
            counts[key]?.failed += tally.failed
            counts[key]?.picked += state.pickedPerTrajectory[t]
            counts[key]?.filtered += state.filteredPerTrajectory[t]
            summaries.append(TrajectorySummary(task: traj.task, system: traj.system, condition: traj.condition,
                                               rows: tally.rows, sampled: tally.sampled, accurate: tally.accurate,
                                               candidate: tally.candidate, failed: tally.failed, nanFrames: tally.nan,
                                               firstFailedStep: tally.firstFailedStep))
        }
        let rows: [ConditionCounts] = keys.compactMap { key in
            guard var c = counts[key] else { return nil }
            c.overBudget = c.candidate - c.picked - c.filtered
            return c
        }
        let sampled = rows.reduce(0) { $0 + $1.sampled }
        let accurate = rows.reduce(0) { $0 + $1.accurate }
        let candidate = rows.reduce(0) { $0 + $1.candidate }
        let failed = rows.reduce(0) { $0 + $1.failed }
        func fraction(_ x: Int) -> Double { sampled > 0 ? Double(x) / Double(sampled) : 0 }
        let picked = state.picked.map { c, reason, distance in
            let traj = trajectories[Int(c.trajectory)]
            return PickedFrame(task: traj.task, system: traj.system, condition: traj.condition, step: c.step,
                               frameIndex: Int(c.row), forceDeviation: c.forceDeviation, virialDeviation: c.virialDeviation,
                               reason: reason, distanceToPicked: distance)
        }
        return SelectionOutcome(
            iteration: selector.iteration, stage: selector.stage.name, strategy: strategy.rawValue,
            window: scan.window, counts: rows, picked: picked,
            notPicked: NotPickedCounts(accurate: accurate, failed: failed,
                                       overBudget: rows.reduce(0) { $0 + $1.overBudget }, filtered: state.filtered.count),
            filtered: state.filtered, trajectories: summaries,
            accurateFraction: fraction(accurate), candidateFraction: fraction(candidate), failedFraction: fraction(failed))
    }
}
