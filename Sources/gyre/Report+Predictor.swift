import Foundation
import GyreBuiltin
import GyreCore

/// Evaluates built-in ML ensembles (model.json) for `gyre report`'s
/// out-of-sample errors; other engines' models are not evaluated.
struct BuiltinEnsemblePredictor: EnsemblePredictor {
    func predict(models: [URL], frames: [Frame]) throws -> [[Prediction]]? {
        guard models.allSatisfy({ $0.lastPathComponent == "model.json" }) else { return nil }
        return try EnsembleModel.load(models).map { model in
            try frames.map { frame in
                let result = try model.evaluate(frame)
                return Prediction(energy: result.energy, forces: result.forces)
            }
        }
    }
}
