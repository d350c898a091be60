/// Loss weights and regularisation of the ridge fit. The loss per frame is
/// energyWeight·(ΔE/N)² + forceWeight·mean(ΔF²) + virialWeight·mean((ΔW/N)²),
/// frames count equally, plus ridge·|w − w_prior|² on standardised weights.
public struct MLTrainingOptions: Codable, Sendable, Hashable {
    public var energyWeight: Double
    public var forceWeight: Double
    public var virialWeight: Double
    public var ridge: Double
    /// Resample frames with replacement from the member's seed (ensemble diversity).
    public var bootstrap: Bool
    /// Fraction of the non-linear features (products and angular invariants) each
    /// member leaves out, chosen from its seed: members then differ in model form,
    /// not only in data, and disagree where they must extrapolate. 0 keeps all.
    public var featureDropout: Double

    public init(energyWeight: Double = 100, forceWeight: Double = 1, virialWeight: Double = 1, ridge: Double = 1e-6, bootstrap: Bool = true, featureDropout: Double = 0.25) {
        self.energyWeight = energyWeight
        self.forceWeight = forceWeight
        self.virialWeight = virialWeight
        self.ridge = ridge
        self.bootstrap = bootstrap
        self.featureDropout = featureDropout
    }
}
