import Foundation

/// The training errors each member recorded in its `train.done`.
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
}
