/// What the journal keeps of a finished iteration: enough to decide
/// convergence on resume and to report, without re-reading task outputs.
public struct IterationSummary: Codable, Sendable, Hashable {
    public var sampled: Int
    public var accurate: Int
    public var candidate: Int
    public var failed: Int
    public var picked: Int
    public var labelled: Int
    public var labelsFailed: Int
    /// The trust window's lower bound actually used (adaptive windows move it).
    public var trustLo: Double
    public var trustHi: Double
    public var converged: Bool

    public var accurateFraction: Double { sampled == 0 ? 0 : Double(accurate) / Double(sampled) }
}
