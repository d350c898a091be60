/// A candidate frame, kept compactly while millions of rows stream by: which
/// trajectory and row it is, its deviations, and its place in the pick order.
struct Candidate: Comparable, Sendable {
    /// Position in the strategy's pick order: smaller is picked first.
    var rank: UInt64
    /// Index into the trajectories given to the selector.
    var trajectory: Int32
    /// Data row of `model_devi.out` = frame index in the trajectory file.
    var row: Int32
    var step: Int
    var forceDeviation: Double
    var virialDeviation: Double

    static func < (l: Candidate, r: Candidate) -> Bool {
        if l.rank != r.rank { return l.rank < r.rank }
        if l.trajectory != r.trajectory { return l.trajectory < r.trajectory }
        return l.row < r.row
    }

    static func == (l: Candidate, r: Candidate) -> Bool {
        l.rank == r.rank && l.trajectory == r.trajectory && l.row == r.row
    }
}

/// Pick-order keys. Every key is a pure function of the frame's identity, so the
/// order does not depend on the order trajectories are read in.
enum PickRank {
    /// Larger deviation first (NaN never reaches here: it is failed).
    @inline(__always) static func largestFirst(_ d: Double) -> UInt64 {
        ~orderedBits(d)
    }

    /// Smaller deviation first.
    @inline(__always) static func smallestFirst(_ d: Double) -> UInt64 {
        orderedBits(d)
    }

    /// A uniform pseudo-random key of row `row` in a trajectory whose stream
    /// key is `base` (drawn from SeededGenerator for seed, iteration and task).
    @inline(__always) static func random(base: UInt64, row: Int) -> UInt64 {
        var z = base &+ UInt64(truncatingIfNeeded: row) &* 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The Double's bits remapped so that unsigned order is numeric order.
    @inline(__always) static func orderedBits(_ d: Double) -> UInt64 {
        let b = d.bitPattern
        return b >> 63 == 1 ? ~b : b | (1 << 63)
    }
}
