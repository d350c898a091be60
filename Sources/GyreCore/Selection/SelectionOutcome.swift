/// Everything the selection step decided in one iteration: the window, counts
/// per system × condition, each picked frame with its origin and reason, and
/// why the other frames were not picked. Stored as the iteration's
/// `select/report.json` and summarised in the journal.
public struct SelectionOutcome: Sendable, Codable, Equatable {
    public var iteration: Int
    public var stage: String
    public var strategy: String
    public var window: WindowUsed
    public var counts: [ConditionCounts]
    /// In pick order: the order of the returned frames and of the labelling tasks.
    public var picked: [PickedFrame]
    public var notPicked: NotPickedCounts
    /// Candidates rejected by a filter, each with its reason.
    public var filtered: [FilteredFrame]
    public var trajectories: [TrajectorySummary]
    /// Accurate frames over all sampled frames of the iteration (0 when none sampled).
    public var accurateFraction: Double
    public var candidateFraction: Double
    public var failedFraction: Double
}

/// The trust window actually applied: fixed, or with the adapted lower bound.
public struct WindowUsed: Sendable, Codable, Equatable {
    public var forceLo: Double
    public var forceHi: Double
    public var virialLo: Double?
    public var virialHi: Double?
    /// True when `forceLo` was adapted (DP-GEN2's adaptive-lower).
    public var adaptive: Bool
    /// Adaptive only: frames below hi, and how many of them became candidates.
    public var framesBelowHi: Int?
    public var adaptiveCandidates: Int?
    /// Systems classified with their own fixed window instead (``SelectionOptions/systemTrust``).
    public var systemWindows: [SystemWindow]?

    /// The force window's lower bound (adapted or fixed), eV/Å.
    public var lo: Double { forceLo }
    /// The force window's upper bound, eV/Å.
    public var hi: Double { forceHi }
}

/// A per-system trust window that replaced the global one for that system.
public struct SystemWindow: Sendable, Codable, Equatable {
    public var system: String
    public var forceLo: Double
    public var forceHi: Double
    public var virialLo: Double?
    public var virialHi: Double?
}

/// Frame counts of one system under one condition (all its trajectories).
public struct ConditionCounts: Sendable, Codable, Equatable {
    public var system: String
    public var condition: String
    /// Frames classified (step ≥ skip_first); = accurate + candidate + failed.
    public var sampled: Int
    /// Rows before skip_first, not classified.
    public var skipped: Int
    public var accurate: Int
    public var candidate: Int
    public var failed: Int
    public var picked: Int
    /// Candidates rejected by a filter.
    public var filtered: Int
    /// Candidates neither picked nor filtered: the budget ran out first.
    public var overBudget: Int
}

/// Why a frame was picked.
public enum PickReason: String, Sendable, Codable {
    /// `highest`: next in descending force deviation.
    case highestDeviation
    /// `random`: next in the seeded random order.
    case randomDraw
    /// `diverse` (`objective: farthest`): a start of farthest-point sampling (its system's highest-deviation candidate).
    case diverseStart
    /// `diverse` (`objective: farthest`): the candidate farthest from everything picked so far, its
    /// distance weighted by its force deviation (unless `diverse.weight: none`).
    case farthestFromPicked
    /// `diverse` (`objective: coverage`): the candidate that most reduces the
    /// distance from its system's candidates to their nearest pick, each
    /// weighted by its force deviation (unless `diverse.weight: none`).
    case coversCandidates
}

/// One frame sent to labelling, with where it came from and why.
public struct PickedFrame: Sendable, Codable, Equatable {
    public var task: String
    public var system: String
    public var condition: String
    public var step: Int
    /// 0-based index of the frame in the trajectory file (= data row of model_devi.out).
    public var frameIndex: Int
    public var forceDeviation: Double
    public var virialDeviation: Double
    public var reason: PickReason
    /// `diverse`: fingerprint distance to the nearest frame picked before it (nil for the first).
    public var distanceToPicked: Double?
}

/// Frames not picked, by reason; every sampled frame is in exactly one of
/// these or in `picked`.
public struct NotPickedCounts: Sendable, Codable, Equatable {
    public var accurate: Int
    public var failed: Int
    public var overBudget: Int
    public var filtered: Int
}

/// A candidate a filter rejected.
public struct FilteredFrame: Sendable, Codable, Equatable {
    public var task: String
    public var step: Int
    public var frameIndex: Int
    public var reason: FilterReason
    /// The measured value behind the reason (shortest distance Å, or cell ratio).
    public var value: Double?
}

/// One trajectory's totals, so a blown-up task is visible in the report.
public struct TrajectorySummary: Sendable, Codable, Equatable {
    public var task: String
    public var system: String
    public var condition: String
    public var rows: Int
    public var sampled: Int
    public var accurate: Int
    public var candidate: Int
    public var failed: Int
    /// Rows whose deviation was NaN (counted failed).
    public var nanFrames: Int
    /// Step of the first failed frame; with cut_after_failure everything later is failed.
    public var firstFailedStep: Int?
}
