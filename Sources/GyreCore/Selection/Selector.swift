import Foundation

/// The selection step of one iteration: classifies every sampled frame of the
/// exploration's trajectories (DP-GEN's rules), picks up to the label budget
/// with the workflow's strategy, and reports why each frame was or was not
/// picked.
///
///     let (outcome, frames) = try Selector(settings: wf.select, stage: stage, seed: wf.seed, iteration: k)
///         .run(trajectories)
///     try SelectionReport.write(outcome, to: iterDir.appendingPathComponent("select/report.json"))
///
/// `model_devi.out` files are streamed; memory holds only the candidates that
/// can still be picked, never all rows.
public struct Selector: Sendable {
    public let settings: SelectSettings
    public let stage: Stage
    public let seed: UInt64
    public let iteration: Int
    public let options: SelectionOptions
    /// `FrameContent` digests of the structures in the data set: a candidate
    /// with one of them is filtered as a duplicate instead of taking a label slot.
    public let labelled: Set<String>

    /// - Parameters:
    ///   - options: replaces `settings.options` (tests and benchmarks that
    ///     vary the options without a workflow).
    ///   - labelled: the digests of the data set's structures.
    public init(
        settings: SelectSettings, stage: Stage, seed: UInt64, iteration: Int, options: SelectionOptions? = nil,
        labelled: Set<String> = []
    ) {
        self.labelled = labelled
        self.settings = settings
        self.stage = stage
        self.seed = seed
        self.iteration = iteration
        self.options = options ?? settings.options
    }

    /// The trust settings in force: the stage's own, else `select.trust`.
    public var trust: TrustSettings { stage.trust ?? settings.trust }

    /// Classifies, picks and reads the picked frames.
    /// - Returns: the outcome, and the picked frames in pick order (`outcome.picked[i]` ↔ `frames[i]`).
    public func run(_ trajectories: [Trajectory]) throws -> (SelectionOutcome, [Frame]) {
        let (outcome, frames) = try select(trajectories, readFrames: true)
        return (outcome, frames)
    }

    /// Classifies and picks without reading any trajectory file: for callers that
    /// only need the decision (benchmarks, dry runs). Needs no filter and a
    /// strategy other than `diverse`, which both look at structures; repeated
    /// structures are not seen, so none is filtered as a duplicate.
    public func pickWithoutFrames(_ trajectories: [Trajectory]) throws -> SelectionOutcome {
        guard !options.filters.isEnabled, settings.strategy != .diverse else {
            throw GyreError(.invalidInput, "picking without frames needs filters off and strategy random or highest")
        }
        return try select(trajectories, readFrames: false).0
    }

    private func select(_ trajectories: [Trajectory], readFrames: Bool) throws -> (SelectionOutcome, [Frame]) {
        guard trajectories.count < Int(Int32.max) else {
            throw GyreError(.invalidInput, "too many trajectories for one selection (\(trajectories.count))")
        }
        let plan = SelectionPlan(selector: self, trajectories: trajectories)
        var poolSize = plan.initialPoolSize
        while true {
            let scan = try plan.scan(poolSize: poolSize)
            if let result = try plan.pick(scan, readFrames: readFrames) {
                return result
            }
            // The filters rejected so many that a system's kept candidates ran
            // out while it had more: rescan keeping more (same order, so the
            // result is what an unbounded pool would give).
            poolSize *= 4
        }
    }
}
