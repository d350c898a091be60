/// DP-GEN2's "adaptive-lower" trust window: frames below `hi` are ranked by
/// force deviation and the top `max(top, ⌊rate·n⌋)` of them (n = frames below
/// hi, capped at n) become candidates; the lowest deviation among those is the
/// adapted lower bound. As in DP-GEN2, ties at equal deviation go to later
/// (trajectory, row) and no candidate leaves lo = hi.
public struct AdaptiveLowerBound: Sendable, Equatable {
    /// eV/Å; frames at or above are failed.
    public var hi: Double
    public var top: Int
    public var rate: Double

    public init(hi: Double, top: Int, rate: Double) {
        self.hi = hi
        self.top = top
        self.rate = rate
    }

    /// How many of the `n` frames below hi become candidates.
    public func candidateCount(belowHi n: Int) -> Int {
        guard n > 0 else { return 0 }
        let byRate = rate > 0 ? Int((rate * Double(n)).rounded(.down)) : 0
        return min(n, max(top, byRate))
    }

    /// The adapted lo given the smallest deviation among the candidates (nil: none).
    public func lowerBound(lowestCandidate: Double?) -> Double {
        lowestCandidate ?? hi
    }
}

/// The convergence test for adaptive windows: a stage has converged when the
/// adapted lower bound stops moving between iterations.
public enum LowerBoundStability {
    /// True when |lo_k − lo_{k−1}| < threshold; false with no previous iteration.
    public static func isStable(previous: Double?, current: Double, threshold: Double) -> Bool {
        guard let previous, previous.isFinite, current.isFinite else { return false }
        return abs(current - previous) < threshold
    }

    /// True when each of the last `window` lows (oldest first) moved by less than
    /// `threshold` from the one before: DP-GEN2's `n_checked_steps` test.
    public static func isStable(history: [Double], threshold: Double, window: Int = 2) -> Bool {
        let w = max(2, window)
        guard history.count >= w else { return false }
        let recent = history.suffix(w)
        return zip(recent, recent.dropFirst()).allSatisfy { isStable(previous: $0, current: $1, threshold: threshold) }
    }
}
