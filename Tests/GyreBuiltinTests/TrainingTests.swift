import Foundation
import GyreCore
import Testing

@testable import GyreBuiltin

@Suite("ML training")
struct TrainingTests {
    static let descriptor = DescriptorSettings(elements: ["Cu"])

    /// 200 frames of EMT Cu MD (32 atoms), 40 at each of 300, 450, 600, 750, 900 K.
    static func trainingFrames() throws -> [Frame] {
        var frames: [Frame] = []
        for (k, t) in [300.0, 450, 600, 750, 900].enumerated() {
            frames += try TrainingFixtures.mdFrames(count: 40, temperature: t, seed: UInt64(k))
        }
        return frames
    }

    /// DeePMD's max_devi_f, averaged over frames.
    static func meanMaxForceDeviation(_ models: [MLPotential], _ frames: [Frame]) throws -> Double {
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

    @Test("learns EMT Cu; the ensemble disagrees far more at 2000 K than at 600 K")
    func learnsEMTAndDeviationGrowsOutsideData() throws {
        let train = try Self.trainingFrames()
        let held600 = try TrainingFixtures.mdFrames(count: 20, temperature: 600, seed: 99)
        let held2000 = try TrainingFixtures.mdFrames(count: 20, temperature: 2000, seed: 98)
        let clock = ContinuousClock()
        let start = clock.now
        let models = try (0..<3).map { member in
            try MLTrainer.train(frames: train, descriptor: Self.descriptor, seed: 1, member: member)
        }
        let elapsed = clock.now - start
        let trainErrors = try MLTrainer.errors(of: models[0], on: train)
        let testErrors = try MLTrainer.errors(of: models[0], on: held600)
        let hotErrors = try MLTrainer.errors(of: models[0], on: held2000)
        let deviation600 = try Self.meanMaxForceDeviation(models, held600)
        let deviation2000 = try Self.meanMaxForceDeviation(models, held2000)
        print("3 members on \(train.count) frames in \(elapsed)")
        print("train RMSE: E \(trainErrors.energyPerAtom * 1000) meV/atom, F \(trainErrors.force) eV/Å, W \((trainErrors.virialPerAtom ?? -1) * 1000) meV/atom")
        print("held-out 600 K RMSE: E \(testErrors.energyPerAtom * 1000) meV/atom, F \(testErrors.force) eV/Å")
        print("held-out 2000 K RMSE (outside the data): E \(hotErrors.energyPerAtom * 1000) meV/atom, F \(hotErrors.force) eV/Å")
        print("ensemble max_devi_f (mean over frames): 600 K \(deviation600) eV/Å, 2000 K \(deviation2000) eV/Å, ratio \(deviation2000 / deviation600)")
        #expect(testErrors.force <= 0.10)
        #expect(testErrors.energyPerAtom <= 0.005)
        #expect(deviation2000 > 5 * deviation600)
    }

    @Test("same seed and data give a byte-identical model; other members differ")
    func deterministic() throws {
        let frames = try TrainingFixtures.thermalFrames(count: 12, temperature: 600, seed: 5, repeat: 2)
        let settings = DescriptorSettings(elements: ["Cu"], radialCount: 5, angularCount: 3)
        let a = try MLTrainer.train(frames: frames, descriptor: settings, seed: 42, member: 1)
        let b = try MLTrainer.train(frames: frames, descriptor: settings, seed: 42, member: 1)
        let c = try MLTrainer.train(frames: frames, descriptor: settings, seed: 42, member: 2)
        #expect(try a.fileData() == b.fileData())
        #expect(try a.fileData() != c.fileData())
        #expect(MLTrainer.bootstrapCounts(frames: 12, seed: 42, member: 1).reduce(0, +) == 12)
    }

    @Test("warm start keeps the previous standardisation and needs the same descriptor")
    func warmStart() throws {
        let settings = DescriptorSettings(elements: ["Cu"], radialCount: 5, angularCount: 3)
        let first = try TrainingFixtures.thermalFrames(count: 8, temperature: 300, seed: 6, repeat: 2)
        let more = try TrainingFixtures.thermalFrames(count: 8, temperature: 900, seed: 7, repeat: 2)
        let previous = try MLTrainer.train(frames: first, descriptor: settings, seed: 1, member: 0)
        let next = try MLTrainer.train(frames: first + more, descriptor: settings, seed: 1, member: 0, initial: previous)
        #expect(next.parameters.featureMean == previous.parameters.featureMean)
        #expect(next.parameters.featureScale == previous.parameters.featureScale)
        #expect(next.training?.warmStart == true)
        // The new data are learned: the warm-started fit beats the previous model on them.
        let before = try MLTrainer.errors(of: previous, on: more)
        let after = try MLTrainer.errors(of: next, on: more)
        #expect(after.force < before.force)
        let other = DescriptorSettings(elements: ["Cu"], radialCount: 6, angularCount: 3)
        #expect(throws: GyreError.self) {
            try MLTrainer.train(frames: first, descriptor: other, seed: 1, member: 0, initial: previous)
        }
    }

    @Test("learns a two-element CuAu alloy")
    func learnsAlloy() throws {
        let settings = DescriptorSettings(elements: ["Cu", "Au"], radialCount: 6, angularCount: 4)
        let train = try TrainingFixtures.thermalFrames(count: 60, temperature: 500, seed: 20, repeat: 2, goldFraction: 0.3)
        let test = try TrainingFixtures.thermalFrames(count: 6, temperature: 500, seed: 21, repeat: 2, goldFraction: 0.3)
        let model = try MLTrainer.train(frames: train, descriptor: settings, seed: 3, member: 0)
        let errors = try MLTrainer.errors(of: model, on: test)
        print("CuAu held-out RMSE: E \(errors.energyPerAtom * 1000) meV/atom, F \(errors.force) eV/Å")
        #expect(errors.force < 0.10)
        #expect(errors.energyPerAtom < 0.005)
    }

    @Test("unlabelled frames and unknown elements are refused")
    func refusesBadData() throws {
        var frames = try TrainingFixtures.thermalFrames(count: 2, temperature: 300, seed: 8, repeat: 2)
        let settings = DescriptorSettings(elements: ["Cu"], radialCount: 3, angularCount: 2)
        var unlabelled = frames[0]
        unlabelled.forces = nil
        #expect(throws: GyreError.self) { try MLTrainer.train(frames: [unlabelled], descriptor: settings, seed: 0, member: 0) }
        frames[1].species[0] = "Ag"
        #expect(throws: GyreError.self) { try MLTrainer.train(frames: frames, descriptor: settings, seed: 0, member: 0) }
    }
}
