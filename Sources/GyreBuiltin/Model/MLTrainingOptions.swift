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

    public init(energyWeight: Double = 100, forceWeight: Double = 1, virialWeight: Double = 1, ridge: Double = 1e-6, bootstrap: Bool = true) {
        self.energyWeight = energyWeight
        self.forceWeight = forceWeight
        self.virialWeight = virialWeight
        self.ridge = ridge
        self.bootstrap = bootstrap
    }
}
