/// The fitted numbers of one ensemble member, per element (in `descriptor.elements`
/// order): feature standardisation, weights on standardised features and the
/// reference (per-atom) energy, so E_i = reference_e + Σ_f w_ef (D_f − mean_ef) / scale_ef.
public struct MLModelParameters: Codable, Sendable, Hashable {
    public var featureMean: [[Double]]
    public var featureScale: [[Double]]
    public var weights: [[Double]]
    public var referenceEnergy: [Double]

    public init(featureMean: [[Double]], featureScale: [[Double]], weights: [[Double]], referenceEnergy: [Double]) {
        self.featureMean = featureMean
        self.featureScale = featureScale
        self.weights = weights
        self.referenceEnergy = referenceEnergy
    }
}

/// How a model was trained: recorded in the model file for provenance.
public struct MLTrainingRecord: Codable, Sendable, Hashable {
    public var seed: UInt64
    public var member: Int
    public var frames: Int
    public var bootstrap: Bool
    public var warmStart: Bool
    public var options: MLTrainingOptions

    public init(seed: UInt64, member: Int, frames: Int, bootstrap: Bool, warmStart: Bool, options: MLTrainingOptions) {
        self.seed = seed
        self.member = member
        self.frames = frames
        self.bootstrap = bootstrap
        self.warmStart = warmStart
        self.options = options
    }
}
