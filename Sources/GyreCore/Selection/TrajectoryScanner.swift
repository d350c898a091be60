import Foundation

/// Classifies the frames of one trajectory as it streams its `model_devi.out`:
/// applies `skip_first`, the trust window, NaN → failed, and
/// `cut_after_failure`. Memory is one read buffer, whatever the length.
struct TrajectoryScanner {
    var window: TrustWindow
    var skipFirst: Int
    var cutAfterFailure: Bool

    /// Calls `visit(row, step, verdict, forceDeviation, virialDeviation)` for each
    /// sampled frame; `row` is the 0-based data row, which is also the frame's
    /// index in the trajectory file.
    func scan(_ url: URL,
              visit: (_ row: Int, _ step: Int, _ verdict: FrameVerdict, _ f: Double, _ v: Double) -> Void) throws -> TrajectoryTally {
        var rows = try DeviationRows(url: url)
        var tally = TrajectoryTally()
        var row = -1
        while let r = try rows.next() {
            row += 1
            // DP-GEN's test: `step < model_devi_skip` is not classified at all.
            if r.step < skipFirst { continue }
            tally.sampled += 1
            let isNaN = r.maxDevF.isNaN || (window.virial != nil && r.maxDevV.isNaN)
            if isNaN { tally.nan += 1 }
            var verdict = window.verdict(force: r.maxDevF, virial: r.maxDevV)
            if tally.firstFailedStep != nil && cutAfterFailure {
                // A trajectory that blew up keeps producing garbage: everything after is failed.
                if verdict != .failed { tally.cut += 1 }
                verdict = .failed
            } else if verdict == .failed && tally.firstFailedStep == nil {
                tally.firstFailedStep = r.step
            }
            tally.count(verdict)
            visit(row, r.step, verdict, r.maxDevF, r.maxDevV)
        }
        tally.rows = row + 1
        return tally
    }
}
