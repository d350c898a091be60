/// Selection settings beyond the workflow's `select:` block, with defaults
/// that suit most runs: the filters, the diverse strategy's pool and
/// DP-GEN's accurate-ratio taper.
public struct SelectionOptions: Sendable, Equatable {
    public var filters: FrameFilters
    /// `diverse` picks from a seeded uniform sample of this many candidates per
    /// system (plus the highest-deviation ones), so descriptors are computed
    /// for a bounded number of frames.
    public var diversePool: Int
    /// Pair-distance cutoff of the structure fingerprint, Å.
    public var fingerprintCutoff: Double
    /// Fingerprint bins per element pair.
    public var fingerprintBins: Int
    /// What `diverse` optimises: coverage of the candidates or distance to the picked frames.
    public var diverseObjective: DiverseObjective
    /// What `diverse` weighs candidates by.
    public var diverseWeight: DiverseWeight
    /// DP-GEN's `fp_accurate_soft_threshold` / `fp_accurate_threshold`: the
    /// per-system budget shrinks linearly to zero as the system's accurate
    /// ratio goes from `soft` to `hard`. nil: no taper.
    public var accurateTaper: AccurateTaper?
    /// Fixed trust windows for named systems, replacing the stage's or `select.trust` for
    /// them (DP-GEN's per-system trust lists). Applies when the force window is fixed;
    /// an adaptive window is one window over all systems.
    public var systemTrust: [String: TrustWindow]

    public init(filters: FrameFilters = .standard, diversePool: Int = 400, fingerprintCutoff: Double = 5.0,
                fingerprintBins: Int = 25, diverseObjective: DiverseObjective = .coverage,
                diverseWeight: DiverseWeight = .deviation, accurateTaper: AccurateTaper? = nil,
                systemTrust: [String: TrustWindow] = [:]) {
        self.filters = filters
        self.diversePool = diversePool
        self.fingerprintCutoff = fingerprintCutoff
        self.fingerprintBins = fingerprintBins
        self.diverseObjective = diverseObjective
        self.diverseWeight = diverseWeight
        self.accurateTaper = accurateTaper
        self.systemTrust = systemTrust
    }

    public static let standard = SelectionOptions()
}

/// What `diverse` picks for, in the fingerprint space of a system's candidates
/// (docs/selection.md measures both).
public enum DiverseObjective: String, Sendable, Equatable, CaseIterable {
    /// Each pick is the candidate that most reduces the weighted distance from
    /// its system's candidates to their nearest pick (greedy facility
    /// location): representatives of where the candidates are, so the labels
    /// resemble the frames the model will meet, and near-duplicates of a pick
    /// gain nothing.
    case coverage
    /// Farthest-point sampling: each system's highest-deviation candidate, then
    /// repeatedly the candidate farthest from everything picked (times its
    /// weight). It takes the extremes of the fingerprint space — the hottest
    /// frames — which a model then fits at the expense of typical ones.
    case farthest
}

/// What `diverse` weighs a candidate by.
public enum DiverseWeight: String, Sendable, Equatable, CaseIterable {
    /// Its force deviation: the ensemble agrees on frames it already fits, so
    /// weighting by its disagreement moves the picks to frames the data set
    /// lacks. Under `farthest` without it, the near-ideal lattices at the start
    /// of every trajectory are extremes, taken again in each iteration.
    case deviation
    /// Every candidate the same: plain coverage or farthest-point sampling.
    case none
}

/// DP-GEN's soft-threshold taper of the label budget.
public struct AccurateTaper: Sendable, Equatable {
    public var soft: Double
    public var hard: Double

    public init(soft: Double, hard: Double) {
        self.soft = soft
        self.hard = hard
    }

    /// The budget left for a system with this accurate ratio, as DP-GEN computes it.
    public func budget(_ full: Int, accurateRatio r: Double) -> Int {
        if r < soft { return full }
        if r >= hard { return 0 }
        return Int(Double(full) * (r - hard) / (soft - hard))
    }
}

/// Checks run on a candidate's structure before it may take a label slot, so
/// rejected frames never leave the iteration under budget.
public struct FrameFilters: Sendable, Equatable {
    /// Reject frames with two atoms closer than this, Å (periodic images included). nil: off.
    public var minDistance: Double?
    /// Reject cells whose longest edge exceeds this multiple of the shortest (DP-GEN's `length_ratio`). nil: off.
    public var maxLengthRatio: Double?
    /// Reject cells whose longest edge exceeds this multiple of the smallest
    /// perpendicular width, i.e. strongly sheared boxes (DP-GEN's `height_ratio`). nil: off.
    public var maxHeightRatio: Double?

    public init(minDistance: Double? = nil, maxLengthRatio: Double? = nil, maxHeightRatio: Double? = nil) {
        self.minDistance = minDistance
        self.maxLengthRatio = maxLengthRatio
        self.maxHeightRatio = maxHeightRatio
    }

    /// 0.5 Å (no chemistry brings atoms closer), boxes within 5:1.
    public static let standard = FrameFilters(minDistance: 0.5, maxLengthRatio: 5, maxHeightRatio: 5)
    /// No filtering: picks need no frame to be read.
    public static let none = FrameFilters()

    public var isEnabled: Bool { minDistance != nil || maxLengthRatio != nil || maxHeightRatio != nil }
}
