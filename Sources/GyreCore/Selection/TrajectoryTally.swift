/// What one trajectory's `model_devi.out` held, frame by frame, summed.
struct TrajectoryTally: Sendable {
    /// Data rows, including those skipped by `skip_first`.
    var rows = 0
    /// Rows with step ≥ skip_first: the frames that are classified.
    var sampled = 0
    var accurate = 0
    var candidate = 0
    var failed = 0
    /// Sampled rows whose deviation is NaN (counted as failed).
    var nan = 0
    /// Frames counted failed only because an earlier frame failed (`cut_after_failure`).
    var cut = 0
    /// Step of the first failed sampled frame.
    var firstFailedStep: Int?

    mutating func count(_ verdict: FrameVerdict) {
        switch verdict {
        case .accurate: accurate += 1
        case .candidate: candidate += 1
        case .failed: failed += 1
        }
    }
}
