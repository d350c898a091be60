import GyreCore

/// Training errors of a fitted model on the frames it was given (all of them,
/// not only the bootstrap sample).
public struct MLTrainingErrors: Codable, Sendable, Hashable {
    /// Energy per atom RMSE, eV/atom.
    public var energyPerAtom: Double
    /// Force component RMSE, eV/Å.
    public var force: Double
    /// Virial per atom RMSE over frames that carry a virial, eV/atom; nil if none do.
    public var virialPerAtom: Double?
    public var frames: Int
    public var atoms: Int
}

/// Fits one ensemble member by ridge regression on energies, forces and virials.
///
/// Ensemble diversity comes from the member's seed: with `bootstrap`, frames are
/// drawn with replacement, so members agree where data is dense and disagree
/// where it is sparse. The fit is a single linear solve, deterministic for a
/// given seed, member and data, whatever the number of threads.
public enum MLTrainer {
    /// Frames are processed in this many chunks, fixed so sums do not depend on thread count.
    static let chunkCount = 64

    /// Trains a member. With `initial` (same descriptor), its standardisation is
    /// reused and its weights become the ridge prior mean: the new fit is pulled
    /// towards the old model where the data say little (warm start). Otherwise the
    /// prior mean is zero and standardisation comes from the data.
    public static func train(
        frames: [Frame], descriptor: DescriptorSettings, options: MLTrainingOptions = MLTrainingOptions(),
        seed: UInt64, member: Int, initial: MLPotential? = nil
    ) throws -> MLPotential {
        try descriptor.validate()
        guard !frames.isEmpty else { throw GyreError(.invalidInput, "no training frames") }
        guard options.ridge > 0, options.energyWeight >= 0, options.forceWeight >= 0, options.virialWeight >= 0 else {
            throw GyreError(.invalidInput, "training needs ridge > 0 and non-negative loss weights")
        }
        guard options.featureDropout >= 0, options.featureDropout < 1 else {
            throw GyreError(.invalidInput, "feature dropout must be in [0, 1), got \(options.featureDropout)")
        }
        if let initial, initial.descriptor != descriptor {
            throw GyreError(.invalidInput, "the initial model uses different descriptor settings; warm start needs the same ones")
        }
        let prepared = try prepare(frames, descriptor: descriptor)
        let multiplicity = options.bootstrap
            ? bootstrapCounts(frames: prepared.count, seed: seed, member: member)
            : Array(repeating: 1, count: prepared.count)

        let ne = descriptor.elements.count, nf = descriptor.featureCount
        let mean: [[Double]], scale: [[Double]]
        if let initial {
            mean = initial.parameters.featureMean
            scale = initial.parameters.featureScale
        } else {
            let stats = statistics(prepared, descriptor: descriptor)
            mean = stats.mean
            scale = stats.scale
        }

        let equations = normalEquations(prepared, multiplicity: multiplicity, descriptor: descriptor, mean: mean, scale: scale, options: options)
        let width = nf + 1
        let p = ne * width
        var prior = [Double](repeating: 0, count: p)
        if let initial {
            for e in 0..<ne {
                for f in 0..<nf { prior[e * width + 1 + f] = initial.parameters.weights[e][f] }
            }
        }
        var gram = equations.gram
        var rhs = equations.rhs
        let norm = 1 / max(equations.totalWeight, 1)
        for k in gram.indices { gram[k] *= norm }
        for k in rhs.indices { rhs[k] *= norm }
        for c in 0..<p {
            // Reference energies are not shrunk: only a tiny jitter keeps an absent element's column solvable.
            let lambda = c % width == 0 ? 1e-12 : options.ridge
            gram[c * p + c] += lambda
            rhs[c] += lambda * prior[c]
        }
        // Left-out features: their equations become w = 0, decoupled from the rest.
        let kept = keptFeatures(descriptor: descriptor, dropout: options.featureDropout, seed: seed, member: member)
        for e in 0..<ne {
            for f in 0..<nf where !kept[f] {
                let c = e * width + 1 + f
                for k in 0..<p {
                    gram[min(c, k) * p + max(c, k)] = 0
                }
                gram[c * p + c] = 1
                rhs[c] = 0
            }
        }
        guard let solution = solveWithJitter(gram, rhs, n: p) else {
            throw GyreError(.execution, "the ridge normal equations could not be solved (non-finite data?)")
        }
        let parameters = MLModelParameters(
            featureMean: mean, featureScale: scale,
            weights: (0..<ne).map { e in Array(solution[(e * width + 1)..<((e + 1) * width)]) },
            referenceEnergy: (0..<ne).map { e in solution[e * width] })
        let record = MLTrainingRecord(
            seed: seed, member: member, frames: frames.count, bootstrap: options.bootstrap, warmStart: initial != nil,
            options: options)
        return try MLPotential(descriptor: descriptor, parameters: parameters, training: record)
    }

    /// RMSEs of `model` against the labels of `frames`, evaluated in parallel.
    public static func errors(of model: MLPotential, on frames: [Frame]) throws -> MLTrainingErrors {
        let prepared = try prepare(frames, descriptor: model.descriptor)
        let work = ChunkedWork(count: prepared.count, chunks: chunkCount)
        let partial = work.map { range -> SIMD8<Double> in
            // (ΣΔe², Σ|ΔF|², ΣΔw², frames with virial, atoms, 0, 0, 0)
            var sums = SIMD8<Double>.zero
            for index in range {
                let frame = prepared[index]
                let result = model.evaluate(
                    species: frame.species, positions: frame.frame.positions, cell: frame.frame.cell, neighbors: frame.neighbors)
                let n = Double(frame.species.count)
                let de = (result.energy - frame.energy) / n
                sums[0] += de * de
                for (f, g) in zip(result.forces, frame.forces) { sums[1] += dot(f - g, f - g) }
                if let w = frame.virial {
                    let d = (result.virial - w).rowMajor
                    sums[2] += d.reduce(0) { $0 + $1 * $1 } / (9 * n * n)
                    sums[3] += 1
                }
                sums[4] += n
            }
            return sums
        }
        let total = partial.reduce(SIMD8<Double>.zero, +)
        let count = Double(prepared.count)
        return MLTrainingErrors(
            energyPerAtom: (total[0] / count).squareRoot(),
            force: (total[1] / (3 * total[4])).squareRoot(),
            virialPerAtom: total[3] > 0 ? (total[2] / total[3]).squareRoot() : nil,
            frames: prepared.count, atoms: Int(total[4]))
    }

    // MARK: Steps

    static func prepare(_ frames: [Frame], descriptor: DescriptorSettings) throws -> [TrainingFrame] {
        let work = ChunkedWork(count: frames.count, chunks: chunkCount)
        let elements = descriptor.elements, cutoff = descriptor.cutoff
        let built = work.map { range -> Result<[TrainingFrame], GyreError> in
            do {
                return .success(try range.map { try TrainingFrame(frames[$0], index: $0, elements: elements, cutoff: cutoff) })
            } catch let error as GyreError {
                return .failure(error)
            } catch {
                return .failure(GyreError(.invalidInput, "\(error)"))
            }
        }
        return try built.flatMap { try $0.get() }
    }

    /// How many times each frame is drawn in a bootstrap sample of the same size.
    static func bootstrapCounts(frames: Int, seed: UInt64, member: Int) -> [Double] {
        var generator = SeededGenerator(seed: seed, stream: ["gyre-ml", "bootstrap", String(member)])
        var counts = [Double](repeating: 0, count: frames)
        for _ in 0..<frames {
            // Multiply-high maps 64 random bits to 0..<frames without modulo bias worth the name.
            let index = Int(generator.next().multipliedFullWidth(by: UInt64(frames)).high)
            counts[index] += 1
        }
        return counts
    }

    /// Which features a member uses: the linear radial densities always, and each
    /// other feature unless drawn out with probability `dropout` from the member's seed.
    static func keptFeatures(descriptor: DescriptorSettings, dropout: Double, seed: UInt64, member: Int) -> [Bool] {
        var generator = SeededGenerator(seed: seed, stream: ["gyre-ml", "features", String(member)])
        let linear = descriptor.radialChannels
        return (0..<descriptor.featureCount).map { f in
            let draw = generator.nextUnit()
            return f < linear || draw >= dropout
        }
    }

    static func statistics(_ frames: [TrainingFrame], descriptor: DescriptorSettings) -> FeatureStatistics {
        let work = ChunkedWork(count: frames.count, chunks: chunkCount)
        let ne = descriptor.elements.count, nf = descriptor.featureCount
        let partial = work.map { range -> FeatureStatistics in
            var stats = FeatureStatistics(elements: ne, features: nf)
            var environment = AtomicEnvironment(settings: descriptor)
            var features = [Double](repeating: 0, count: nf)
            for index in range {
                let frame = frames[index]
                for i in frame.species.indices {
                    environment.load(center: i, species: frame.species, positions: frame.frame.positions, neighbors: frame.neighbors)
                    features.withUnsafeMutableBufferPointer { buffer in
                        guard let base = buffer.baseAddress else { return }
                        environment.features(into: base)
                        stats.add(element: frame.species[i], features: base)
                    }
                }
            }
            return stats
        }
        var total = FeatureStatistics(elements: ne, features: nf)
        for part in partial { total.merge(part) }
        return total
    }

    static func normalEquations(
        _ frames: [TrainingFrame], multiplicity: [Double], descriptor: DescriptorSettings,
        mean: [[Double]], scale: [[Double]], options: MLTrainingOptions
    ) -> NormalEquations {
        let work = ChunkedWork(count: frames.count, chunks: chunkCount)
        let p = descriptor.elements.count * (descriptor.featureCount + 1)
        let partial = work.map { range -> NormalEquations in
            var equations = NormalEquations(size: p)
            var block = DesignBlock(settings: descriptor, mean: mean, scale: scale, options: options)
            for index in range where multiplicity[index] > 0 {
                block.build(frames[index])
                equations.add(block: block.matrix, targets: block.targets, rows: block.rows, weight: multiplicity[index])
            }
            return equations
        }
        var total = NormalEquations(size: p)
        for part in partial { total.merge(part) }
        return total
    }

    /// Cholesky, retried with growing diagonal jitter if rounding made the matrix indefinite.
    static func solveWithJitter(_ gram: [Double], _ rhs: [Double], n: Int) -> [Double]? {
        if let x = SymmetricSolver.solve(gram, rhs, n: n) { return x }
        let diagonalMean = (0..<n).reduce(0) { $0 + gram[$1 * n + $1] } / Double(max(n, 1))
        var jitter = 1e-12 * max(diagonalMean, 1e-300)
        for _ in 0..<8 {
            var g = gram
            for c in 0..<n { g[c * n + c] += jitter }
            if let x = SymmetricSolver.solve(g, rhs, n: n) { return x }
            jitter *= 100
        }
        return nil
    }
}
