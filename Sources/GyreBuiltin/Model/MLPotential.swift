import GyreCore

/// One member of the built-in ensemble: a ridge-regressed linear model on
/// `DescriptorSettings` features, E = Σ_i E_i(D_i), with analytic forces and virial.
public struct MLPotential: Potential, Codable, Hashable {
    public let descriptor: DescriptorSettings
    public let parameters: MLModelParameters
    /// Provenance; nil for a model assembled by hand.
    public let training: MLTrainingRecord?

    /// Weights on raw features (w/scale) and biases, per element: what evaluation uses.
    private let rawWeights: [[Double]]
    private let bias: [Double]

    public var cutoff: Double { descriptor.cutoff }
    public var elements: [String] { descriptor.elements }

    /// Checks that the parameter shapes match the descriptor.
    public init(descriptor: DescriptorSettings, parameters: MLModelParameters, training: MLTrainingRecord? = nil) throws {
        try descriptor.validate()
        let ne = descriptor.elements.count, nf = descriptor.featureCount
        let p = parameters
        let shapesMatch = p.featureMean.count == ne && p.featureScale.count == ne && p.weights.count == ne
            && p.referenceEnergy.count == ne
            && (0..<ne).allSatisfy { e in
                p.featureMean[e].count == nf && p.featureScale[e].count == nf && p.weights[e].count == nf
            }
        guard shapesMatch else {
            throw GyreError(.malformedFile, "model parameters do not match the descriptor (\(ne) elements × \(nf) features)")
        }
        let finite = (p.featureMean + p.featureScale + p.weights + [p.referenceEnergy]).allSatisfy { $0.allSatisfy(\.isFinite) }
        guard finite, p.featureScale.allSatisfy({ $0.allSatisfy { $0 > 0 } }) else {
            throw GyreError(.malformedFile, "model parameters contain non-finite numbers or non-positive scales")
        }
        self.descriptor = descriptor
        self.parameters = p
        self.training = training
        rawWeights = (0..<ne).map { e in (0..<nf).map { f in p.weights[e][f] / p.featureScale[e][f] } }
        bias = (0..<ne).map { e in
            var b = p.referenceEnergy[e]
            for f in 0..<nf { b -= p.weights[e][f] * p.featureMean[e][f] / p.featureScale[e][f] }
            return b
        }
    }

    public func evaluate(species: [Int], positions: [SIMD3<Double>], cell: Cell?, neighbors: NeighborList) -> PotentialResult {
        let n = positions.count
        var environment = AtomicEnvironment(settings: descriptor)
        var forces = [SIMD3<Double>](repeating: .zero, count: n)
        var atomic = [Double](repeating: 0, count: n)
        var virial = (SIMD3<Double>.zero, SIMD3<Double>.zero, SIMD3<Double>.zero)
        var gradients: [SIMD3<Double>] = []
        for i in 0..<n {
            let e = species[i]
            environment.load(center: i, species: species, positions: positions, neighbors: neighbors)
            atomic[i] = rawWeights[e].withUnsafeBufferPointer { w in
                guard let base = w.baseAddress else { return bias[e] }
                return environment.energy(weights: base, bias: bias[e], gradients: &gradients)
            }
            // gradients[k] = ∂E_i/∂r_ij; r_ij = r_j − r_i, so j feels −g and i feels +g.
            for k in 0..<environment.count {
                let g = gradients[k]
                let j = environment.neighbor[k]
                forces[j] -= g
                forces[i] += g
                // W = −∂E/∂ε with r → (1 + ε) r: W_αβ = −Σ g_α r_β.
                let r = environment.displacement[k]
                virial.0 -= g.x * r
                virial.1 -= g.y * r
                virial.2 -= g.z * r
            }
        }
        let energy = atomic.reduce(0, +)
        return PotentialResult(
            energy: energy, forces: forces, virial: Matrix3(virial.0, virial.1, virial.2), atomicEnergies: atomic)
    }

    // MARK: Codable — only the defining fields; evaluation weights are derived.

    private enum CodingKeys: String, CodingKey {
        case descriptor, parameters, training
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            descriptor: c.decode(DescriptorSettings.self, forKey: .descriptor),
            parameters: c.decode(MLModelParameters.self, forKey: .parameters),
            training: c.decodeIfPresent(MLTrainingRecord.self, forKey: .training))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(descriptor, forKey: .descriptor)
        try c.encode(parameters, forKey: .parameters)
        try c.encodeIfPresent(training, forKey: .training)
    }

    public static func == (lhs: MLPotential, rhs: MLPotential) -> Bool {
        lhs.descriptor == rhs.descriptor && lhs.parameters == rhs.parameters && lhs.training == rhs.training
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(descriptor)
        hasher.combine(parameters)
    }
}
