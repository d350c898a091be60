import Foundation

/// The fixed facts of one selection (window, budget, systems, random streams)
/// and the streaming scan that classifies every frame and keeps the candidates
/// that may be picked.
struct SelectionPlan: Sendable {
    enum Mode: Sendable {
        case fixed(TrustWindow)
        case adaptive(AdaptiveLowerBound, virial: TrustWindow.ClosedBounds?)
    }

    let selector: Selector
    let trajectories: [Trajectory]
    let mode: Mode
    /// Systems in order of first appearance; `systemOf[t]` indexes it.
    let systems: [String]
    let systemOf: [Int]
    /// Per trajectory, the key of its random stream (seed, iteration, task).
    let randomBase: [UInt64]
    let budget: Int
    let systemCap: Int

    init(selector: Selector, trajectories: [Trajectory]) {
        self.selector = selector
        self.trajectories = trajectories
        let trust = selector.trust
        let virial = trust.virial.map { TrustWindow.ClosedBounds(lo: $0.lo, hi: $0.hi) }
        switch trust.force {
        case .fixed(let lo, let hi):
            mode = .fixed(TrustWindow(forceLo: lo, forceHi: hi, virial: virial))
        case .adaptive(let hi, let top, let rate):
            mode = .adaptive(AdaptiveLowerBound(hi: hi, top: top, rate: rate), virial: virial)
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        var of: [Int] = []
        for t in trajectories {
            if index[t.system] == nil {
                index[t.system] = names.count
                names.append(t.system)
            }
            of.append(index[t.system] ?? 0)
        }
        systems = names
        systemOf = of
        randomBase = trajectories.map { t in
            var g = SeededGenerator(seed: selector.seed, stream: ["select", String(selector.iteration), t.task])
            return g.next()
        }
        budget = max(0, selector.settings.maxPerIteration)
        systemCap = min(budget, max(0, selector.settings.maxPerSystem ?? budget))
    }

    var strategy: SelectSettings.Strategy { selector.settings.strategy }

    /// Candidates kept per system on the first scan: enough for the cap with
    /// room for filtered ones; a rescan keeps more if that was not enough.
    var initialPoolSize: Int {
        if strategy == .diverse { return max(selector.options.diversePool, systemCap) }
        return systemCap * (selector.options.filters.isEnabled ? 3 : 1) + 16
    }

    /// How many of the highest-deviation candidates `diverse` always considers (its start point among them).
    static let diverseHighest = 8

    struct ScanResult {
        var tallies: [TrajectoryTally]
        /// Per system: the best candidates in the strategy's order; `offered` = all its candidates.
        var pools: [BoundedBest<Candidate>]
        /// Per system, `diverse` only: the highest-deviation candidates.
        var highest: [BoundedBest<Candidate>]
        var window: WindowUsed
    }

    private struct TrajectoryScan: Sendable {
        var tally: TrajectoryTally
        var pool: BoundedBest<Candidate>
        var highest: BoundedBest<Candidate>
        var belowHi: BoundedBest<AdaptiveEntry>
    }

    /// Streams every `model_devi.out` (twice with an adaptive window: once to
    /// count the frames below hi, once to rank them).
    func scan(poolSize: Int) throws -> ScanResult {
        let skip = selector.settings.skipFirst
        let cut = selector.settings.cutAfterFailure
        switch mode {
        case .fixed(let window):
            let own = selector.options.systemTrust
            let scanners = trajectories.map { t in
                TrajectoryScanner(window: own[t.system] ?? window, skipFirst: skip, cutAfterFailure: cut)
            }
            var result = try scanAll(scanners, poolSize: poolSize, adaptiveSlots: 0)
            let overrides = systems.compactMap { name in
                own[name].map { SystemWindow(system: name, forceLo: $0.forceLo, forceHi: $0.forceHi,
                                             virialLo: $0.virial?.lo, virialHi: $0.virial?.hi) }
            }
            result.window = WindowUsed(forceLo: window.forceLo, forceHi: window.forceHi,
                                       virialLo: window.virial?.lo, virialHi: window.virial?.hi, adaptive: false,
                                       systemWindows: overrides.isEmpty ? nil : overrides)
            return result
        case .adaptive(let bound, let virial):
            // A window whose force candidate range is empty: "accurate" then means "below hi".
            let window = TrustWindow(forceLo: bound.hi, forceHi: bound.hi, virial: virial)
            let scanner = TrajectoryScanner(window: window, skipFirst: skip, cutAfterFailure: cut)
            let counting = try ParallelMap.map(trajectories.count) { t in
                try scanner.scan(trajectories[t].modelDeviation) { _, _, _, _, _ in }
            }
            let belowHi = counting.reduce(0) { $0 + $1.accurate + $1.candidate }
            let slots = bound.candidateCount(belowHi: belowHi)
            return try scanAll(trajectories.map { _ in scanner }, poolSize: poolSize, adaptiveSlots: slots,
                               adaptive: (bound, belowHi))
        }
    }

    private func scanAll(_ scanners: [TrajectoryScanner], poolSize: Int, adaptiveSlots: Int,
                         adaptive: (bound: AdaptiveLowerBound, belowHi: Int)? = nil) throws -> ScanResult {
        var tallies: [TrajectoryTally] = []
        tallies.reserveCapacity(trajectories.count)
        var pools = systems.map { _ in BoundedBest<Candidate>(capacity: poolSize) }
        let highestSize = strategy == .diverse ? Self.diverseHighest : 0
        var highest = systems.map { _ in BoundedBest<Candidate>(capacity: highestSize) }
        var belowHi = BoundedBest<AdaptiveEntry>(capacity: adaptiveSlots)
        let chunk = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
        var start = 0
        while start < trajectories.count {
            let end = min(trajectories.count, start + chunk)
            let first = start
            let scans = try ParallelMap.map(end - start) { k in
                try scanOne(first + k, scanner: scanners[first + k], poolSize: poolSize, highestSize: highestSize,
                            adaptiveSlots: adaptiveSlots)
            }
            // Merging in trajectory order keeps the result independent of thread timing.
            for (k, s) in scans.enumerated() {
                let system = systemOf[start + k]
                tallies.append(s.tally)
                pools[system].merge(s.pool)
                highest[system].merge(s.highest)
                belowHi.merge(s.belowHi)
            }
            start = end
        }
        var window = WindowUsed(forceLo: 0, forceHi: 0, adaptive: false)
        if let adaptive {
            // The top frames below hi become candidates; the rest of them stay accurate.
            let virial = scanners.first?.window.virial
            var lowest: Double?
            for e in belowHi.heap {
                lowest = min(lowest ?? e.forceDeviation, e.forceDeviation)
                let t = Int(e.trajectory)
                let alreadyCandidate = virial.map { e.virialDeviation >= $0.lo && e.virialDeviation < $0.hi } ?? false
                if alreadyCandidate { continue }
                tallies[t].accurate -= 1
                tallies[t].candidate += 1
                pools[systemOf[t]].offer(candidate(t, row: Int(e.row), step: e.step, f: e.forceDeviation, v: e.virialDeviation))
                highest[systemOf[t]].offer(Candidate(rank: PickRank.largestFirst(e.forceDeviation), trajectory: e.trajectory,
                                                     row: e.row, step: e.step, forceDeviation: e.forceDeviation,
                                                     virialDeviation: e.virialDeviation))
            }
            window = WindowUsed(forceLo: adaptive.bound.lowerBound(lowestCandidate: lowest), forceHi: adaptive.bound.hi,
                                virialLo: virial?.lo, virialHi: virial?.hi, adaptive: true,
                                framesBelowHi: adaptive.belowHi, adaptiveCandidates: belowHi.count)
        }
        return ScanResult(tallies: tallies, pools: pools, highest: highest, window: window)
    }

    private func scanOne(_ t: Int, scanner: TrajectoryScanner, poolSize: Int, highestSize: Int,
                         adaptiveSlots: Int) throws -> TrajectoryScan {
        var pool = BoundedBest<Candidate>(capacity: poolSize)
        var highest = BoundedBest<Candidate>(capacity: highestSize)
        var belowHi = BoundedBest<AdaptiveEntry>(capacity: adaptiveSlots)
        let collectBelowHi = adaptiveSlots > 0
        let t32 = Int32(t)
        let tally = try scanner.scan(trajectories[t].modelDeviation) { row, step, verdict, f, v in
            guard row < Int(Int32.max) else { return }
            if collectBelowHi && verdict != .failed {
                belowHi.offer(AdaptiveEntry(forceDeviation: f, virialDeviation: v, trajectory: t32, row: Int32(row), step: step))
            }
            guard verdict == .candidate else { return }
            pool.offer(candidate(t, row: row, step: step, f: f, v: v))
            if highestSize > 0 {
                highest.offer(Candidate(rank: PickRank.largestFirst(f), trajectory: t32, row: Int32(row), step: step,
                                        forceDeviation: f, virialDeviation: v))
            }
        }
        return TrajectoryScan(tally: tally, pool: pool, highest: highest, belowHi: belowHi)
    }

    /// A candidate ranked for this plan's strategy.
    @inline(__always)
    func candidate(_ t: Int, row: Int, step: Int, f: Double, v: Double) -> Candidate {
        let rank: UInt64
        switch strategy {
        case .highest: rank = PickRank.largestFirst(f)
        case .random, .diverse: rank = PickRank.random(base: randomBase[t], row: row)
        }
        return Candidate(rank: rank, trajectory: Int32(t), row: Int32(row), step: step, forceDeviation: f, virialDeviation: v)
    }
}
