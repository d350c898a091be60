public struct SelectSettings: Sendable {
    public enum Strategy: String, Sendable, CaseIterable {
        case random, highest, diverse
    }

    public var trust: TrustSettings
    public var maxPerIteration: Int
    /// At most this many picks per system and iteration; nil: no cap.
    public var maxPerSystem: Int?
    public var strategy: Strategy
    /// MD steps skipped at the start of each trajectory.
    public var skipFirst: Int
    /// After a trajectory's first failed frame, count all later frames as failed.
    public var cutAfterFailure: Bool
    /// Filters, the diverse pool, the accurate-ratio taper and per-system windows.
    public var options: SelectionOptions = .standard
}

/// The model-deviation window that sorts frames into accurate / candidate / failed.
public struct TrustSettings: Sendable {
    public enum Force: Sendable {
        /// lo ≤ deviation < hi is a candidate (eV/Å).
        case fixed(lo: Double, hi: Double)
        /// DP-GEN2's adaptive lower bound: the `max(top, rate·n)` highest
        /// frames below hi become candidates.
        case adaptive(hi: Double, top: Int, rate: Double)
    }

    public var force: Force
    /// Optional virial window (eV per atom).
    public var virial: (lo: Double, hi: Double)?
}
