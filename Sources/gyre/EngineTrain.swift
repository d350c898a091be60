import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Gyre.Engine {
    /// Trains one member of the built-in ML ensemble.
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Fit one member of the built-in ML potential ensemble to labelled frames.",
            discussion: """
                Reads every --data source (extxyz files or deepmd/npy directories), fits a \
                ridge-regularised moment-tensor model to energies, forces and virials, and \
                writes the model (gyre-ml JSON, version 1). Members differ by --member: each \
                draws its own bootstrap sample of frames and its own subset of features \
                from --seed, so the ensemble disagrees where data is sparse. train.done, a JSON record with training \
                RMSEs, is written last: its presence means the task finished. The same seed, \
                member and data give a byte-identical model.
                """
        )

        @Option(name: .customLong("data"), help: "Labelled frames: an extxyz file or a deepmd/npy directory (repeatable).")
        var dataPaths: [String] = []

        @Option(help: "Where the model is written.")
        var output: String = "model.json"

        @Option(help: "Ensemble seed (the workflow seed).")
        var seed: UInt64 = 0

        @Option(help: "Index of this member in the ensemble; selects its bootstrap sample.")
        var member: Int = 0

        @Option(name: .customLong("init-from"), help: "A previous model: train with its descriptor and standardisation, pulled towards its weights (warm start).")
        var initFrom: String?

        @Option(help: "Comma-separated elements, in type order (default: those of --init-from, else the elements of the data in order of appearance).")
        var elements: String?

        @Option(help: "Descriptor cutoff, Å.")
        var cutoff: Double = 5.0

        @Option(name: .customLong("radial"), help: "Radial basis functions per element.")
        var radialCount: Int = 8

        @Option(name: .customLong("angular"), help: "Radial functions per element used in the angular features.")
        var angularCount: Int = 6

        @Option(help: "Ridge strength on standardised weights.")
        var ridge: Double = 1e-6

        @Option(name: .customLong("energy-weight"), help: "Loss weight of (ΔE/N)² relative to the mean squared force error.")
        var energyWeight: Double = 100

        @Option(name: .customLong("virial-weight"), help: "Loss weight of the mean squared (ΔW/N).")
        var virialWeight: Double = 1

        @Option(name: .customLong("feature-dropout"), help: "Fraction of non-linear features this member leaves out, drawn from --seed and --member (model-form diversity).")
        var featureDropout: Double = 0.25

        @Flag(inversion: .prefixedNo, help: "Resample frames with replacement (ensemble diversity); --no-bootstrap fits all frames once.")
        var bootstrap = true

        func validate() throws {
            guard !dataPaths.isEmpty else { throw ValidationError("give at least one --data path") }
            guard member >= 0 else { throw ValidationError("--member must be ≥ 0") }
            guard ridge > 0, energyWeight >= 0, virialWeight >= 0 else {
                throw ValidationError("need --ridge > 0 and non-negative loss weights")
            }
            guard featureDropout >= 0, featureDropout < 1 else {
                throw ValidationError("--feature-dropout must be in [0, 1)")
            }
        }

        func run() async throws {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let outputURL = URL(fileURLWithPath: output)
                var frames: [Frame] = []
                for path in dataPaths {
                    frames += try FrameFile.read(URL(fileURLWithPath: path))
                }
                let initial = try initFrom.map { try MLPotential.load(URL(fileURLWithPath: $0)) }
                let requested = elements.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                let descriptor: DescriptorSettings
                if let initial {
                    // Warm start continues the previous model's descriptor; the descriptor flags are ignored.
                    if let requested, requested != initial.elements {
                        throw GyreError(
                            .invalidInput,
                            "--elements \(requested.joined(separator: ",")) differ from the --init-from model's \(initial.elements.joined(separator: ","))")
                    }
                    descriptor = initial.descriptor
                } else {
                    descriptor = DescriptorSettings(
                        elements: requested ?? Self.elementsInOrder(frames), cutoff: cutoff, radialCount: radialCount,
                        angularCount: angularCount)
                }
                let options = MLTrainingOptions(
                    energyWeight: energyWeight, forceWeight: 1, virialWeight: virialWeight, ridge: ridge, bootstrap: bootstrap,
                    featureDropout: featureDropout)
                let model = try MLTrainer.train(
                    frames: frames, descriptor: descriptor, options: options, seed: seed, member: member, initial: initial)
                try FileManager.default.createDirectory(at: outputURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try model.save(to: outputURL)
                let errors = try MLTrainer.errors(of: model, on: frames)
                let record = TrainDone(
                    model: outputURL.lastPathComponent, frames: errors.frames, atoms: errors.atoms,
                    rmseEnergyPerAtom: errors.energyPerAtom, rmseForce: errors.force, rmseVirialPerAtom: errors.virialPerAtom,
                    seconds: Self.seconds(clock.now - start))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                let doneURL = outputURL.deletingLastPathComponent().appendingPathComponent("train.done")
                try AtomicFile.write(encoder.encode(record), to: doneURL)
                print(String(
                    format: "trained member %d on %d frames: RMSE E %.2f meV/atom, F %.4f eV/Å (%.1f s)",
                    member, errors.frames, errors.energyPerAtom * 1000, errors.force, record.seconds))
            } catch let error as GyreError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                // Bad input is exit 2 (DESIGN.md CLI); a failed read/write or solve is a failed run.
                throw ExitCode(error.code == .io || error.code == .execution ? 1 : 2)
            }
        }

        static func elementsInOrder(_ frames: [Frame]) -> [String] {
            var seen: [String] = []
            for frame in frames {
                for s in frame.species where !seen.contains(s) { seen.append(s) }
            }
            return seen
        }

        static func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
    }
}

/// What `train.done` records: the model written and its training errors (eV/atom, eV/Å).
struct TrainDone: Codable {
    var model: String
    var frames: Int
    var atoms: Int
    var rmseEnergyPerAtom: Double
    var rmseForce: Double
    var rmseVirialPerAtom: Double?
    var seconds: Double
}
