/// What the ensemble's deviation says about one sampled frame (DP-GEN's three classes).
public enum FrameVerdict: String, Sendable, Codable, CaseIterable {
    /// The models agree: the frame needs no label.
    case accurate
    /// The models disagree within the trust window: worth labelling.
    case candidate
    /// The models disagree wildly (or produced NaN, or the trajectory already
    /// failed): the configuration is likely unphysical.
    case failed
}
