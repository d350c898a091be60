import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Bench {
    /// Errors of a built-in ensemble (its mean prediction) on labelled frames the
    /// ensemble never saw — the final-error measure of the label-efficiency study
    /// (Benchmarks/label_efficiency.py, docs/selection.md).
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Energy and force RMSE of a built-in ensemble's mean prediction on labelled extxyz frames; one JSON line per --frames file.")

        @Option(name: .customLong("model"), help: "A model.json of the ensemble (repeat for each member).")
        var models: [String] = []

        @Option(name: .customLong("frames"), help: "Labelled frames (extxyz with energy and forces); repeatable.")
        var frames: [String] = []

        func validate() throws {
            guard !models.isEmpty else { throw ValidationError("give at least one --model") }
            guard !frames.isEmpty else { throw ValidationError("give at least one --frames") }
        }

        func run() async throws {
            let ensemble = try EnsembleModel.load(models.map { URL(fileURLWithPath: $0) })
            for path in frames {
                let set = try ExtXYZ.read(URL(fileURLWithPath: path))
                // Σ (ΔE/N)², Σ |ΔF|², atoms; for the ensemble mean and for each member.
                var meanE = 0.0, meanF = 0.0, atoms = 0.0
                var memberE = Array(repeating: 0.0, count: ensemble.count)
                var memberF = Array(repeating: 0.0, count: ensemble.count)
                for (index, frame) in set.enumerated() {
                    guard let energy = frame.energy, let forces = frame.forces else {
                        throw GyreError(.invalidInput, "frame \(index) has no energy or forces", at: SourceLocation(file: path))
                    }
                    let n = Double(frame.count)
                    let results = try ensemble.map { try $0.evaluate(frame) }
                    let e = results.reduce(0.0) { $0 + $1.energy } / Double(results.count)
                    meanE += ((e - energy) / n) * ((e - energy) / n)
                    for i in 0..<frame.count {
                        let f = results.reduce(SIMD3<Double>.zero) { $0 + $1.forces[i] } / Double(results.count)
                        meanF += dot(f - forces[i], f - forces[i])
                    }
                    for (m, r) in results.enumerated() {
                        memberE[m] += ((r.energy - energy) / n) * ((r.energy - energy) / n)
                        for i in 0..<frame.count { memberF[m] += dot(r.forces[i] - forces[i], r.forces[i] - forces[i]) }
                    }
                    atoms += n
                }
                let count = Double(set.count)
                let record: [String: Any] = [
                    "frames": path,
                    "count": set.count,
                    "energy_rmse_per_atom": (meanE / count).squareRoot(),
                    "force_rmse": (meanF / (3 * atoms)).squareRoot(),
                    "member_energy_rmse_per_atom": memberE.map { ($0 / count).squareRoot() },
                    "member_force_rmse": memberF.map { ($0 / (3 * atoms)).squareRoot() },
                ]
                let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
