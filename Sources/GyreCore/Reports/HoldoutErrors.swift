import Foundation

/// Predicts energies and forces with an ensemble's model files. The report
/// lives in GyreCore, the models in GyreBuiltin: the CLI supplies this.
public protocol EnsemblePredictor: Sendable {
    /// Each member's prediction for each frame: `[member][frame]`; nil when
    /// these model files are not a kind this predictor can load.
    func predict(models: [URL], frames: [Frame]) throws -> [[Prediction]]?
}

/// One model's energy (eV) and forces (eV/Å) for one frame.
public struct Prediction: Sendable {
    public var energy: Double
    public var forces: [SIMD3<Double>]

    public init(energy: Double, forces: [SIMD3<Double>]) {
        self.energy = energy
        self.forces = forces
    }
}

/// Out-of-sample errors: the ensemble mean prediction against labels it was not trained on.
enum HoldoutErrors {
    /// RMSEs of the ensemble mean over `labelled` frames (those with energy and forces);
    /// nil when there is nothing to compare.
    static func measure(_ predictions: [[Prediction]], labelled frames: [Frame]) -> ErrorMeasure? {
        guard let first = predictions.first, first.count == frames.count, predictions.allSatisfy({ $0.count == frames.count })
        else { return nil }
        let members = Double(predictions.count)
        var energySquares = 0.0, forceSquares = 0.0, components = 0, used = 0
        for (i, frame) in frames.enumerated() {
            guard let energy = frame.energy, let forces = frame.forces, frame.count > 0,
                  predictions.allSatisfy({ $0[i].forces.count == forces.count })
            else { continue }
            let meanEnergy = predictions.reduce(0) { $0 + $1[i].energy } / members
            let de = (meanEnergy - energy) / Double(frame.count)
            energySquares += de * de
            for atom in forces.indices {
                let mean = predictions.reduce(SIMD3<Double>.zero) { $0 + $1[i].forces[atom] } / members
                let d = mean - forces[atom]
                forceSquares += (d * d).sum()
            }
            components += 3 * forces.count
            used += 1
        }
        guard used > 0 else { return nil }
        return ErrorMeasure(
            prediction: .ensembleMean, members: predictions.count, frames: used,
            energyRMSEPerAtom: (energySquares / Double(used)).squareRoot(),
            forceRMSE: (forceSquares / Double(components)).squareRoot())
    }
}
