import GyreCore

/// How much an ensemble of potentials disagrees on one frame, as DeePMD-kit and
/// DP-GEN define it (DOMAIN.md): force deviation per atom ε_i = sqrt(mean_k |F_i^k − ⟨F_i⟩|²)
/// reduced by max/min/mean over atoms; per-atom-normalised virial standard deviation per
/// component reduced by max/min/root-mean-square; energy standard deviation per atom.
public struct ModelDeviation: Sendable, Equatable {
    public var maxForce: Double
    public var minForce: Double
    public var avgForce: Double
    public var maxVirial: Double
    public var minVirial: Double
    public var avgVirial: Double
    /// Standard deviation of E/natoms over models, eV/atom.
    public var energy: Double

    /// Deviation among `results` (one per model, same frame of `atoms` atoms). Needs ≥ 1 result.
    public init(results: [PotentialResult], atoms: Int) {
        let models = Double(max(1, results.count))
        let n = atoms
        var perAtom = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var mean = SIMD3<Double>.zero
            for r in results { mean += r.forces[i] }
            mean /= models
            var sum = 0.0
            for r in results {
                let d = r.forces[i] - mean
                sum += dot(d, d)
            }
            perAtom[i] = (sum / models).squareRoot()
        }
        maxForce = perAtom.max() ?? 0
        minForce = perAtom.min() ?? 0
        avgForce = n > 0 ? perAtom.reduce(0, +) / Double(n) : 0

        let scale = n > 0 ? 1 / Double(n) : 0
        var components = [Double](repeating: 0, count: 9)
        for c in 0..<9 {
            let values = results.map { $0.virial.rowMajor[c] * scale }
            components[c] = Self.standardDeviation(values)
        }
        maxVirial = components.max() ?? 0
        minVirial = components.min() ?? 0
        avgVirial = (components.reduce(0) { $0 + $1 * $1 } / 9).squareRoot()
        energy = Self.standardDeviation(results.map { $0.energy * scale })
    }

    /// Population standard deviation (divide by N, as numpy's default `std`).
    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    /// Evaluates every model on the frame (one neighbour list shared by all) and compares them.
    public static func evaluate(_ models: [any Potential], species: [String], positions: [SIMD3<Double>], cell: Cell?) throws -> (ModelDeviation, [PotentialResult]) {
        let cutoff = models.map(\.cutoff).max() ?? 0
        let list = NeighborList(positions: positions, cell: cell, cutoff: cutoff)
        let results = try models.map { model in
            try model.evaluate(species: model.speciesIndices(species), positions: positions, cell: cell, neighbors: list)
        }
        return (ModelDeviation(results: results, atoms: positions.count), results)
    }

    /// The `model_devi.out` row for `step`.
    public func record(step: Int) -> ModelDeviationRecord {
        ModelDeviationRecord(step: step, maxDevV: maxVirial, minDevV: minVirial, avgDevV: avgVirial,
                             maxDevF: maxForce, minDevF: minForce, avgDevF: avgForce, devE: energy)
    }
}
