import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Gyre.Engine {
    /// Molecular dynamics with the built-in engine, sampling the ensemble's model deviation.
    struct MD: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "md",
            abstract: "Run MD driven by an ML model or a reference potential; record model deviations.",
            discussion: """
                The first --model (or --potential, when given) drives the dynamics. Every \
                --sample-every steps the frame is appended to traj.extxyz and, with two or \
                more models, the ensemble's deviation to model_devi.out (DeePMD-kit's \
                columns). md.done, a JSON record with the reason the run stopped, is written \
                last: its presence means the task finished.
                """
        )

        @Option(name: .customLong("model"), help: "A model file of the ensemble (repeat for each member).")
        var modelFiles: [String] = []

        @Option(name: .customLong("models"), help: "A directory whose files (hidden ones excepted) are the ensemble's models, in name order.")
        var modelDirectory: String?

        @OptionGroup var reference: ReferencePotentialOptions

        @Option(help: "Starting configuration (extxyz; the first frame is used).")
        var input: String

        @Option(help: "Ensemble: nve, nvt or npt.")
        var ensemble: String = "nvt"

        @Option(help: "Temperature, K.")
        var temperature: Double = 300

        @Option(help: "Pressure for npt, bar.")
        var pressure: Double = 1

        @Option(help: "Number of MD steps.")
        var steps: Int = 1000

        @Option(help: "Time step, ps.")
        var timestep: Double = 0.001

        @Option(name: .customLong("sample-every"), help: "Steps between sampled frames.")
        var sampleEvery: Int = 10

        @Option(help: "Seed for velocities and thermostat noise.")
        var seed: UInt64 = 0

        @Option(name: .customLong("min-distance"), help: "Stop when two atoms come closer than this, Å.")
        var minDistance: Double?

        @Option(name: .customLong("max-deviation"), help: "Stop when max_devi_f exceeds this, eV/Å (the run blew up).")
        var maxDeviation: Double?

        @Option(name: .customLong("thermostat-damping"), help: "Langevin friction time, ps.")
        var thermostatDamping: Double = 0.1

        @Option(name: .customLong("barostat-damping"), help: "Berendsen barostat time constant, ps.")
        var barostatDamping: Double = 1.0

        @Option(help: "Verlet neighbour-list skin, Å.")
        var skin: Double = 1.0

        @Option(name: .customLong("mass"), help: "Mass of an element in amu, as Element=mass (repeatable; default: periodic table).")
        var massOverrides: [String] = []

        @Option(name: .customLong("output-dir"), help: "Where traj.extxyz, model_devi.out and md.done go.")
        var outputDirectory: String = "."

        func validate() throws {
            guard MDEnsemble(rawValue: ensemble) != nil else {
                throw ValidationError("--ensemble must be nve, nvt or npt, not \(ensemble)")
            }
            guard steps >= 0, sampleEvery >= 1, timestep > 0, temperature >= 0 else {
                throw ValidationError("need --steps ≥ 0, --sample-every ≥ 1, --timestep > 0, --temperature ≥ 0")
            }
            if modelFiles.isEmpty && modelDirectory == nil && reference.potential == nil {
                throw ValidationError("give --model files, --models DIR, or a reference --potential")
            }
            _ = try masses()
        }

        /// --mass Element=value pairs as a table.
        func masses() throws -> [String: Double] {
            var table: [String: Double] = [:]
            for entry in massOverrides {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let mass = Double(parts[1]), mass > 0, mass.isFinite else {
                    throw ValidationError("--mass expects Element=mass with a positive mass in amu, e.g. Cu=63.546; got \(entry)")
                }
                table[parts[0]] = mass
            }
            return table
        }

        func run() async throws {
            let start = Date()
            let inputURL = URL(fileURLWithPath: input)
            guard let frame = try ExtXYZ.read(inputURL).first else {
                throw GyreError(.invalidInput, "no frames", at: SourceLocation(file: input))
            }
            let models = try loadModels()
            guard let driver = try reference.make(elements: frame.species) ?? models.first else {
                throw GyreError(.invalidInput, "nothing drives the dynamics: no model and no --potential")
            }
            let settings = MDSettings(
                ensemble: MDEnsemble(rawValue: ensemble) ?? .nvt, timestep: timestep, steps: steps,
                temperature: temperature, pressure: pressure, sampleEvery: sampleEvery, seed: seed,
                minDistance: minDistance, thermostatDamping: thermostatDamping,
                barostatDamping: barostatDamping, skin: skin)
            var md = try MolecularDynamics(potential: driver, frame: frame, settings: settings, masses: masses())

            let directory = URL(fileURLWithPath: outputDirectory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // A marker from an earlier run in this directory (a gyre killed between launching
            // the task and journaling it) must not vouch for the outputs truncated below.
            let done = directory.appendingPathComponent("md.done")
            if FileManager.default.fileExists(atPath: done.path) {
                do {
                    try FileManager.default.removeItem(at: done)
                } catch {
                    throw GyreError(.io, "cannot remove the previous run's md.done", at: SourceLocation(file: done.path), cause: error)
                }
            }
            let trajectory = try TrajectoryFile(url: directory.appendingPathComponent("traj.extxyz"))
            let deviations = models.count >= 2
                ? try ModelDeviationWriter(url: directory.appendingPathComponent("model_devi.out")) : nil
            var sampled = 0
            let limit = maxDeviation
            let outcome = try md.run { sample in
                var positionsOnly = sample.frame
                positionsOnly.energy = nil
                positionsOnly.forces = nil
                positionsOnly.virial = nil
                try trajectory.append(positionsOnly)
                sampled += 1
                guard let deviations else { return .proceed }
                let (deviation, _) = try ModelDeviation.evaluate(
                    models, species: sample.frame.species, positions: sample.frame.positions, cell: sample.frame.cell)
                try deviations.appendRow(deviation.record(step: sample.step))
                if let limit, !(deviation.maxForce <= limit) {
                    return .stop(reason: "max_devi_f \(deviation.maxForce) eV/Å above --max-deviation \(limit)")
                }
                return .proceed
            }
            try trajectory.close()
            try deviations?.close()

            let record = MDDoneRecord(
                reason: outcome.reason.code, message: outcome.reason.description, steps: outcome.steps,
                requestedSteps: steps, sampledFrames: sampled, trajectoryBytes: trajectory.bytesWritten, models: models.count,
                neighborRebuilds: outcome.neighborRebuilds, finalTemperature: outcome.final.temperature,
                finalPressure: outcome.final.pressure, elapsedSeconds: Date().timeIntervalSince(start))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(record), to: directory.appendingPathComponent("md.done"))
        }

        /// The ensemble from --model files and/or a --models directory.
        func loadModels() throws -> [any Potential] {
            var urls = modelFiles.map { URL(fileURLWithPath: $0) }
            if let modelDirectory {
                let dir = URL(fileURLWithPath: modelDirectory)
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                } catch {
                    throw GyreError(.io, "cannot list the models directory", at: SourceLocation(file: dir.path), cause: error)
                }
                urls += names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
            }
            guard !urls.isEmpty else { return [] }
            return try EnsembleModel.load(urls)
        }
    }
}

/// An extxyz trajectory written frame by frame as the run goes.
final class TrajectoryFile {
    private let handle: FileHandle
    private(set) var bytesWritten = 0

    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw GyreError(.io, "cannot create the trajectory", at: SourceLocation(file: url.path))
        }
        handle = try FileHandle(forWritingTo: url)
    }

    func append(_ frame: Frame) throws {
        let data = Data(ExtXYZ.format(frame).utf8)
        try handle.write(contentsOf: data)
        bytesWritten += data.count
    }

    func close() throws {
        try handle.close()
    }
}
