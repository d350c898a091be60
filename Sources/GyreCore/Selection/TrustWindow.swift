/// A fixed trust window on the max force deviation, and optionally on the max
/// virial deviation, classifying a frame exactly as DP-GEN's
/// `_select_by_model_devi_standard` does.
public struct TrustWindow: Sendable, Equatable {
    /// eV/Å
    public var forceLo: Double
    public var forceHi: Double
    /// eV per atom; nil: the virial deviation is ignored.
    public var virial: ClosedBounds?

    public struct ClosedBounds: Sendable, Equatable {
        public var lo: Double
        public var hi: Double
        public init(lo: Double, hi: Double) {
            self.lo = lo
            self.hi = hi
        }
    }

    public init(forceLo: Double, forceHi: Double, virial: ClosedBounds? = nil) {
        self.forceLo = forceLo
        self.forceHi = forceHi
        self.virial = virial
    }

    /// DP-GEN's rule, in DP-GEN's order: candidate if `v_lo ≤ v < v_hi` or
    /// `f_lo ≤ f < f_hi` (tested first, so a frame candidate by one quantity is
    /// a candidate even when the other is past hi); else failed if `v ≥ v_hi`
    /// or `f ≥ f_hi`; else accurate. A NaN in a deviation that counts is failed
    /// (DP-GEN raises there).
    @inline(__always)
    public func verdict(force f: Double, virial v: Double) -> FrameVerdict {
        if let w = virial {
            if v.isNaN || f.isNaN { return .failed }
            if (v >= w.lo && v < w.hi) || (f >= forceLo && f < forceHi) { return .candidate }
            if v >= w.hi || f >= forceHi { return .failed }
            return .accurate
        }
        if f.isNaN { return .failed }
        if f >= forceHi { return .failed }
        return f >= forceLo ? .candidate : .accurate
    }
}
