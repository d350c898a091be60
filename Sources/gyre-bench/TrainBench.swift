import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Bench {
    /// Times the built-in ensemble training on EMT-labelled Cu frames and reports
    /// its accuracy and the ensemble's deviation inside and outside the data.
    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time ML training on 1000 frames × 108 atoms of EMT Cu sampled from 300–900 K MD; check accuracy and ensemble deviation.")

        @Option(help: "Training frames.") var frames = 1000
        @Option(help: "fcc supercell repeat (3 → 108 atoms).") var `repeat` = 3
        @Option(help: "Ensemble members to train for the deviation check.") var members = 4
        @Option(help: "Radial functions per element.") var radial = 8
        @Option(help: "Angular radial functions per element.") var angular = 6
        @Option(help: "Descriptor cutoff, Å.") var cutoff = 5.0
        @Option(help: "Ridge strength.") var ridge = 1e-6
        @Option(help: "Energy loss weight.") var energyWeight = 100.0
        @Option(help: "Fraction of non-linear features each member leaves out.") var featureDropout = 0.25

        func run() async throws {
            let clock = ContinuousClock()
            let temperatures = [300.0, 450, 600, 750, 900]
            var data: [Frame] = []
            let labelStart = clock.now
            for (k, t) in temperatures.enumerated() {
                data += try CopperMD.frames(count: frames / temperatures.count, temperature: t, seed: UInt64(k), repeat: `repeat`)
            }
            let held600 = try CopperMD.frames(count: 20, temperature: 600, seed: 100, repeat: `repeat`)
            let held2000 = try CopperMD.frames(count: 20, temperature: 2000, seed: 101, repeat: `repeat`)
            print("sampled \(data.count) frames × \(data[0].count) atoms from EMT MD in \(clock.now - labelStart)")

            let descriptor = DescriptorSettings(elements: ["Cu"], cutoff: cutoff, radialCount: radial, angularCount: angular)
            let options = MLTrainingOptions(energyWeight: energyWeight, ridge: ridge, featureDropout: featureDropout)
            print("descriptor: \(descriptor.featureCount) features per atom, cutoff \(cutoff) Å")
            var models: [MLPotential] = []
            for member in 0..<members {
                let start = clock.now
                let model = try MLTrainer.train(frames: data, descriptor: descriptor, options: options, seed: 7, member: member)
                let elapsed = clock.now - start
                models.append(model)
                if member == 0 {
                    let errors = try MLTrainer.errors(of: model, on: data)
                    let held = try MLTrainer.errors(of: model, on: held600)
                    print("training time (member 0, \(data.count) frames × \(data[0].count) atoms): \(elapsed)")
                    print(String(format: "train RMSE: E %.2f meV/atom, F %.4f eV/Å, W %.2f meV/atom", errors.energyPerAtom * 1000, errors.force, (errors.virialPerAtom ?? 0) * 1000))
                    let hot = try MLTrainer.errors(of: model, on: held2000)
                    print(String(format: "held-out 600 K RMSE: E %.2f meV/atom, F %.4f eV/Å", held.energyPerAtom * 1000, held.force))
                    print(String(format: "held-out 2000 K RMSE: E %.2f meV/atom, F %.4f eV/Å", hot.energyPerAtom * 1000, hot.force))
                } else {
                    print("member \(member): \(elapsed)")
                }
            }
            let probe = held600[0]
            let evaluations = 20
            let evaluationStart = clock.now
            for _ in 0..<evaluations { _ = try models[0].evaluate(probe) }
            print("evaluation (energy, forces, virial, neighbour list): \((clock.now - evaluationStart) / evaluations) per \(probe.count)-atom frame")
            if models.count > 1 {
                let d600 = try meanMaxForceDeviation(models, held600)
                let d2000 = try meanMaxForceDeviation(models, held2000)
                print(String(format: "ensemble max force deviation (mean over frames): 600 K %.4f eV/Å, 2000 K %.4f eV/Å, ratio %.1f", d600, d2000, d2000 / d600))
            }
        }

        /// DeePMD's max_devi_f averaged over frames.
        func meanMaxForceDeviation(_ models: [MLPotential], _ frames: [Frame]) throws -> Double {
            var total = 0.0
            for frame in frames {
                let forces = try models.map { try $0.evaluate(frame).forces }
                var worst = 0.0
                for i in 0..<frame.count {
                    let mean = forces.reduce(SIMD3<Double>.zero) { $0 + $1[i] } / Double(models.count)
                    let variance = forces.reduce(0.0) { $0 + dot($1[i] - mean, $1[i] - mean) } / Double(models.count)
                    worst = max(worst, variance.squareRoot())
                }
                total += worst
            }
            return total / Double(frames.count)
        }
    }
}

/// EMT Cu frames sampled from Langevin NVT MD of an fcc supercell (a = 3.61 Å).
enum CopperMD {
    static func frames(count: Int, temperature: Double, seed: UInt64, repeat n: Int, every: Int = 10) throws -> [Frame] {
        let a = 3.61
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
        var lattice: [SIMD3<Double>] = []
        for x in 0..<n {
            for y in 0..<n {
                for z in 0..<n {
                    for b in basis { lattice.append((SIMD3(Double(x), Double(y), Double(z)) + b) * a) }
                }
            }
        }
        let length = Double(n) * a
        let start = Frame(species: Array(repeating: "Cu", count: lattice.count), positions: lattice, cell: .orthorhombic(length, length, length))
        let equilibration = 200
        let settings = MDSettings(
            ensemble: .nvt, timestep: 0.002, steps: equilibration + count * every, temperature: temperature,
            sampleEvery: every, seed: seed, stream: ["bench-train", String(temperature)])
        var md = try MolecularDynamics(potential: EMT(), frame: start, settings: settings)
        var frames: [Frame] = []
        _ = md.run { sample in
            if sample.step > equilibration { frames.append(sample.frame) }
            return .proceed
        }
        return frames
    }
}
