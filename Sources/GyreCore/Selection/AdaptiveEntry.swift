/// A frame below hi competing for the adaptive candidate slots. Ordered so
/// that `BoundedBest` keeps the largest (deviation, trajectory, row), the same
/// tie-break as DP-GEN2's ascending sort of `[f, traj, frame]` taking the tail.
struct AdaptiveEntry: Comparable, Sendable {
    var forceDeviation: Double
    var virialDeviation: Double
    var trajectory: Int32
    var row: Int32
    var step: Int

    static func < (l: AdaptiveEntry, r: AdaptiveEntry) -> Bool {
        if l.forceDeviation != r.forceDeviation { return l.forceDeviation > r.forceDeviation }
        if l.trajectory != r.trajectory { return l.trajectory > r.trajectory }
        return l.row > r.row
    }

    static func == (l: AdaptiveEntry, r: AdaptiveEntry) -> Bool {
        l.forceDeviation == r.forceDeviation && l.trajectory == r.trajectory && l.row == r.row
    }
}
