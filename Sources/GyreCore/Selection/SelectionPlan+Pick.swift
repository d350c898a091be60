import Foundation

extension SelectionPlan {
    /// Where picking stands: what was taken and rejected so far.
    struct PickState {
        var picked: [(Candidate, PickReason, Double?)] = []
        var frames: [Frame] = []
        var filtered: [FilteredFrame] = []
        var pickedPerSystem: [Int]
        var filteredPerTrajectory: [Int]
        var pickedPerTrajectory: [Int]
        /// Structures that took a slot (or, for `diverse`, entered its pool): a repeat is a duplicate.
        var seen: Set<FrameContent> = []
    }

    /// Picks from the scanned candidates. nil: the kept candidates of some system ran
    /// out (too many filtered) while it had more; the caller rescans keeping more.
    func pick(_ scan: ScanResult, readFrames: Bool) throws -> (SelectionOutcome, [Frame])? {
        let caps = systemCaps(scan.tallies)
        var state = PickState(pickedPerSystem: systems.map { _ in 0 },
                              filteredPerTrajectory: trajectories.map { _ in 0 },
                              pickedPerTrajectory: trajectories.map { _ in 0 })
        let complete: Bool
        switch strategy {
        case .random, .highest:
            complete = try pickInOrder(scan, caps: caps, readFrames: readFrames, state: &state)
        case .diverse:
            complete = try pickDiverse(scan, caps: caps, state: &state)
        }
        guard complete else { return nil }
        return (outcome(scan, state: state), state.frames)
    }

    /// Per-system budget: the per-system cap, tapered by the accurate ratio when asked.
    private func systemCaps(_ tallies: [TrajectoryTally]) -> [Int] {
        guard let taper = selector.options.accurateTaper else { return systems.map { _ in systemCap } }
        var sampled = systems.map { _ in 0 }
        var accurate = systems.map { _ in 0 }
        for (t, tally) in tallies.enumerated() {
            sampled[systemOf[t]] += tally.sampled
            accurate[systemOf[t]] += tally.accurate
        }
        return systems.indices.map { s in
            let ratio = sampled[s] > 0 ? Double(accurate[s]) / Double(sampled[s]) : 0
            return max(0, min(systemCap, taper.budget(systemCap, accurateRatio: ratio)))
        }
    }

    /// `random` and `highest`: walk the merged order; filters run before a slot is taken.
    private func pickInOrder(_ scan: ScanResult, caps: [Int], readFrames: Bool, state: inout PickState) throws -> Bool {
        var order: [Candidate] = []
        for p in scan.pools { order += p.heap }
        order.sort()
        var left = scan.pools.map(\.count)
        let reason: PickReason = strategy == .highest ? .highestDeviation : .randomDraw
        var loaded: [Int64: Frame] = [:]
        var loadedUpTo = 0
        for (i, c) in order.enumerated() {
            guard state.picked.count < budget else { break }
            let s = systemOf[Int(c.trajectory)]
            left[s] -= 1
            if state.pickedPerSystem[s] < caps[s] {
                var frame: Frame?
                if readFrames {
                    if i >= loadedUpTo {
                        // Read the next stretch of the order in one pass per trajectory file.
                        let stretch = (budget - state.picked.count) * 2 + 8
                        loadedUpTo = min(order.count, i + stretch)
                        loaded = try loadFrames(order[i..<loadedUpTo].filter { state.pickedPerSystem[systemOf[Int($0.trajectory)]] < caps[systemOf[Int($0.trajectory)]] })
                    }
                    frame = loaded[Self.key(c)]
                }
                if readFrames && frame == nil {
                    reject(c, .frameMissing, value: nil, state: &state)
                } else if let f = frame, let r = admission(of: f, state: &state) {
                    reject(c, r.reason, value: r.value, state: &state)
                } else {
                    accept(c, reason, distance: nil, frame: frame, state: &state)
                }
            }
            let unseen = scan.pools[s].offered > scan.pools[s].count
            if left[s] == 0 && unseen && state.picked.count < budget && state.pickedPerSystem[s] < caps[s] {
                return false
            }
        }
        return true
    }

    /// `diverse`: coverage or farthest-point sampling (`diverse.objective`),
    /// weighted as `diverse.weight` says, over the kept sample of each system's
    /// candidates that pass the filters.
    private func pickDiverse(_ scan: ScanResult, caps: [Int], state: inout PickState) throws -> Bool {
        var seen = Set<Int64>()
        var pool: [Candidate] = []
        for s in systems.indices {
            for c in scan.highest[s].heap + scan.pools[s].heap where seen.insert(Self.key(c)).inserted {
                pool.append(c)
            }
        }
        // Preference order: larger deviation first, so FPS starts at the highest and ties go to it.
        pool.sort { a, b in
            if a.forceDeviation != b.forceDeviation { return a.forceDeviation > b.forceDeviation }
            return (a.trajectory, a.row) < (b.trajectory, b.row)
        }
        let frames = try loadFrames(pool[...])
        var kept: [Candidate] = []
        var keptFrames: [Frame] = []
        for c in pool {
            guard let f = frames[Self.key(c)] else {
                reject(c, .frameMissing, value: nil, state: &state)
                continue
            }
            if let r = admission(of: f, state: &state) {
                reject(c, r.reason, value: r.value, state: &state)
                continue
            }
            kept.append(c)
            keptFrames.append(f)
        }
        let elements = Array(Set(keptFrames.flatMap(\.species))).sorted()
        let options = selector.options
        let prints = try ParallelMap.map(keptFrames.count) { [keptFrames] k in
            StructureFingerprint(keptFrames[k], elements: elements, cutoff: options.fingerprintCutoff, bins: options.fingerprintBins)
        }
        let weights = options.diverseWeight == .deviation ? kept.map(\.forceDeviation) : nil
        let groups = kept.map { systemOf[Int($0.trajectory)] }
        var perSystem = state.pickedPerSystem
        let allowed = { (i: Int) in perSystem[groups[i]] < caps[groups[i]] }
        let onPick = { (i: Int) in perSystem[groups[i]] += 1 }
        let order: [(index: Int, distance: Double, reason: PickReason)]
        switch options.diverseObjective {
        case .coverage:
            let sampler = CoverageSampler(points: prints, groups: groups, weights: weights ?? kept.map { _ in 1 })
            order = try sampler.sample(count: budget, allowed: allowed, picked: onPick).map { ($0.index, $0.distance, .coversCandidates) }
        case .farthest:
            var sampler = FarthestPointSampler(points: prints)
            sampler.weights = weights
            // Each system's most uncertain candidate first (kept is in descending deviation, so
            // the systems come in the order of their top deviation): one label per system
            // while the budget allows, so a system the others cannot teach is never left out.
            var seenSystem = Set<Int>()
            let starts = kept.indices.filter { seenSystem.insert(groups[$0]).inserted }
            order = sampler.sample(count: budget, starts: starts, allowed: allowed, picked: onPick)
                .map { ($0.index, $0.distance, $0.isStart ? .diverseStart : .farthestFromPicked) }
        }
        for p in order {
            accept(kept[p.index], p.reason, distance: p.distance.isFinite ? p.distance : nil, frame: keptFrames[p.index], state: &state)
        }
        // Under budget with unexamined candidates of a system that could take more: sample more.
        if state.picked.count < budget {
            for s in systems.indices where state.pickedPerSystem[s] < caps[s] && scan.pools[s].offered > scan.pools[s].count {
                return false
            }
        }
        return true
    }

    /// Why `frame` may not take a label slot — its structure is labelled
    /// already or seen earlier in this selection, or a filter rejects it — or
    /// nil, when it may; it is then remembered as seen.
    private func admission(of frame: Frame, state: inout PickState) -> (reason: FilterReason, value: Double?)? {
        let content = FrameContent(frame)
        if state.seen.contains(content) || (!selector.labelled.isEmpty && selector.labelled.contains(content.digest)) {
            return (.duplicate, nil)
        }
        if let r = selector.options.filters.rejection(of: frame) { return (r.reason, r.value) }
        state.seen.insert(content)
        return nil
    }

    private func accept(_ c: Candidate, _ reason: PickReason, distance: Double?, frame: Frame?, state: inout PickState) {
        let t = Int(c.trajectory)
        state.picked.append((c, reason, distance))
        if let frame { state.frames.append(frame) }
        state.pickedPerSystem[systemOf[t]] += 1
        state.pickedPerTrajectory[t] += 1
    }

    private func reject(_ c: Candidate, _ reason: FilterReason, value: Double?, state: inout PickState) {
        let t = Int(c.trajectory)
        state.filtered.append(FilteredFrame(task: trajectories[t].task, step: c.step, frameIndex: Int(c.row),
                                            reason: reason, value: value))
        state.filteredPerTrajectory[t] += 1
    }

    static func key(_ c: Candidate) -> Int64 { Int64(c.trajectory) << 32 | Int64(c.row) }

    /// The frames of these candidates, one forward pass per trajectory file.
    private func loadFrames(_ candidates: ArraySlice<Candidate>) throws -> [Int64: Frame] {
        var rows: [Int32: Set<Int>] = [:]
        for c in candidates { rows[c.trajectory, default: []].insert(Int(c.row)) }
        let jobs = rows.sorted { $0.key < $1.key }
        let read = try ParallelMap.map(jobs.count) { k in
            let trajectory = trajectories[Int(jobs[k].key)]
            // A task that wrote no trajectory: its candidates are reported as frameMissing, the rest go on.
            guard FileManager.default.fileExists(atPath: trajectory.frames.path) else { return [Int: Frame]() }
            return try TrajectoryFrames.read(trajectory.frames, format: trajectory.framesFormat, indices: jobs[k].value)
        }
        var out: [Int64: Frame] = [:]
        for (k, frames) in read.enumerated() {
            for (row, f) in frames { out[Int64(jobs[k].key) << 32 | Int64(row)] = f }
        }
        return out
    }
}
