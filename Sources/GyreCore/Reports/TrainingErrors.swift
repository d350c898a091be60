import Foundation

/// The training errors of an iteration's members: the built-in trainer's
/// `train.done` files, or the final `lcurve.out` rows DeePMD-kit members
/// left in the journal.
enum TrainingErrors {
    /// The fields of `train.done` the report uses (written by `gyre engine train`).
    struct Record: Decodable {
        var frames: Int
        var rmseEnergyPerAtom: Double
        var rmseForce: Double
    }

    /// Mean over members of their training RMSEs; nil when no member has finished.
    static func read(_ modelDirectories: [URL]) -> ErrorMeasure? {
        let records = modelDirectories.compactMap { dir -> Record? in
            guard let data = try? Data(contentsOf: dir.appendingPathComponent("train.done")) else { return nil }
            return try? JSONDecoder().decode(Record.self, from: data)
        }
        guard !records.isEmpty else { return nil }
        let n = Double(records.count)
        return ErrorMeasure(
            prediction: .memberMean, members: records.count, frames: records.map(\.frames).max() ?? 0,
            energyRMSEPerAtom: records.reduce(0) { $0 + $1.rmseEnergyPerAtom } / n,
            forceRMSE: records.reduce(0) { $0 + $1.rmseForce } / n)
    }

    /// Mean over members of their journaled final RMSEs, on training data and on
    /// validation data; each nil when no member reported it.
    static func measure(_ records: [TrainingErrorRecord]) -> (training: ErrorMeasure?, validation: ErrorMeasure?) {
        func mean(_ energy: Swift.KeyPath<TrainingErrorRecord, Double?>, _ force: Swift.KeyPath<TrainingErrorRecord, Double?>) -> ErrorMeasure? {
            let pairs = records.compactMap { r in r[keyPath: energy].flatMap { e in r[keyPath: force].map { (e, $0) } } }
            guard !pairs.isEmpty else { return nil }
            let n = Double(pairs.count)
            return ErrorMeasure(
                prediction: .memberMean, members: pairs.count, frames: records.map(\.frames).max() ?? 0,
                energyRMSEPerAtom: pairs.reduce(0) { $0 + $1.0 } / n, forceRMSE: pairs.reduce(0) { $0 + $1.1 } / n)
        }
        return (mean(\.energyTrain, \.forceTrain), mean(\.energyValidation, \.forceValidation))
    }
}
