import GyreCore
import Testing

@testable import GyreBuiltin

/// Forces and virial of the ML potential are the exact derivatives of its energy.
@Suite("ML model gradients")
struct ModelGradientTests {
    static let descriptor = DescriptorSettings(elements: ["Cu", "Au"], cutoff: 4.2, innerRadius: 1.5, radialCount: 5, angularCount: 3)

    /// A model with random weights: every feature and its gradient matter.
    static func randomModel(seed: UInt64) throws -> MLPotential {
        var generator = SeededGenerator(seed: seed)
        let nf = descriptor.featureCount
        let parameters = MLModelParameters(
            featureMean: (0..<2).map { _ in (0..<nf).map { _ in generator.nextGaussian() } },
            featureScale: (0..<2).map { _ in (0..<nf).map { _ in 1 + 10 * generator.nextUnit() } },
            weights: (0..<2).map { _ in (0..<nf).map { _ in 0.1 * generator.nextGaussian() } },
            referenceEnergy: [-3.5, -3.8])
        return try MLPotential(descriptor: descriptor, parameters: parameters)
    }

    /// A rattled, sheared two-element fcc cell (triclinic, 32 atoms).
    static func triclinicFrame(seed: UInt64) -> Frame {
        var frame = TrainingFixtures.fcc(repeat: 2)
        var generator = SeededGenerator(seed: seed, stream: ["triclinic"])
        frame.species = frame.species.indices.map { _ in generator.nextUnit() < 0.3 ? "Au" : "Cu" }
        frame.positions = frame.positions.map { $0 + 0.15 * SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian()) }
        frame.cell = Cell(Matrix3(SIMD3(7.22, 0, 0), SIMD3(0.9, 7.1, 0), SIMD3(-0.6, 0.7, 7.3)))
        return frame
    }

    static func energy(_ model: MLPotential, _ frame: Frame) throws -> Double {
        try model.evaluate(frame).energy
    }

    @Test("forces equal −∇E by central differences")
    func forcesMatchFiniteDifferences() throws {
        let model = try Self.randomModel(seed: 3)
        let frame = Self.triclinicFrame(seed: 4)
        let result = try model.evaluate(frame)
        let h = 1e-5
        var worst = 0.0
        var largest = 0.0
        for i in [0, 5, 17, 31] {
            for alpha in 0..<3 {
                var plus = frame, minus = frame
                plus.positions[i][alpha] += h
                minus.positions[i][alpha] -= h
                let numeric = -(try Self.energy(model, plus) - Self.energy(model, minus)) / (2 * h)
                worst = max(worst, abs(numeric - result.forces[i][alpha]))
                largest = max(largest, abs(numeric))
            }
        }
        #expect(largest > 1e-2, "forces should not vanish for a random model")
        #expect(worst < 1e-6 * max(1, largest), "max |F − F_fd| = \(worst)")
        let net = result.forces.reduce(SIMD3<Double>.zero, +)
        #expect(norm(net) < 1e-9 * max(1, largest))
        let atomic = try #require(result.atomicEnergies)
        #expect(abs(atomic.reduce(0, +) - result.energy) < 1e-9 * max(1, abs(result.energy)))
    }

    @Test("virial equals −∂E/∂ε for a homogeneous strain of cell and positions")
    func virialMatchesStrainDerivative() throws {
        let model = try Self.randomModel(seed: 5)
        let frame = Self.triclinicFrame(seed: 6)
        let result = try model.evaluate(frame)
        let h = 1e-6
        for alpha in 0..<3 {
            for beta in 0..<3 {
                func strained(_ e: Double) throws -> Double {
                    var deformation = Matrix3.identity
                    var row = deformation[alpha]
                    row[beta] += e
                    deformation[alpha] = row
                    var f = frame
                    // r → (1 + ε) r for positions (column vectors) and for the lattice vectors (rows).
                    f.positions = f.positions.map { deformation.multiply($0) }
                    if let cell = f.cell { f.cell = Cell(cell.matrix * deformation.transposed, pbc: cell.pbc) }
                    return try Self.energy(model, f)
                }
                let numeric = -(try strained(h) - strained(-h)) / (2 * h)
                #expect(abs(numeric - result.virial[alpha][beta]) < 1e-5 * max(1, abs(numeric)), "W[\(alpha)][\(beta)] = \(result.virial[alpha][beta]), numeric \(numeric)")
            }
        }
    }

    @Test("training design rows reproduce the model's forces, energy and virial")
    func designRowsMatchEvaluation() throws {
        let model = try Self.randomModel(seed: 7)
        var frame = Self.triclinicFrame(seed: 8)
        let reference = try model.evaluate(frame)
        frame.energy = reference.energy
        frame.forces = reference.forces
        frame.virial = reference.virial
        let prepared = try TrainingFrame(frame, index: 0, elements: Self.descriptor.elements, cutoff: Self.descriptor.cutoff)
        let options = MLTrainingOptions(energyWeight: 1, forceWeight: 1, virialWeight: 1)
        var block = DesignBlock(
            settings: Self.descriptor, mean: model.parameters.featureMean, scale: model.parameters.featureScale, options: options)
        block.build(prepared)
        // Parameters in the design's column order: per element [reference energy, weights…].
        let w = (0..<2).flatMap { e in [model.parameters.referenceEnergy[e]] + model.parameters.weights[e] }
        let p = w.count
        var worst = 0.0
        for row in 0..<block.rows {
            var predicted = 0.0
            for c in 0..<p { predicted += block.matrix[row * p + c] * w[c] }
            // The labels are the model's own outputs, so every weighted residual vanishes.
            worst = max(worst, abs(predicted - block.targets[row]) / max(1, abs(block.targets[row])))
        }
        #expect(block.rows == 3 * frame.count + 1 + 9)
        #expect(worst < 1e-9, "largest relative residual \(worst)")
    }
}
