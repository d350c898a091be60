import Foundation
import GyreCore
import Testing

@testable import GyreBuiltin

@Suite("ML training")
struct TrainingTests {
    static let descriptor = DescriptorSettings(elements: ["Cu"])

    @Test("learns EMT Cu: held-out force and energy RMSE")
    func learnsEMT() throws {
        let clock = ContinuousClock()
        var train: [Frame] = []
        for (k, t) in [300.0, 450, 600, 750, 900].enumerated() {
            train += try TrainingFixtures.thermalFrames(count: 40, temperature: t, seed: UInt64(k))
        }
        let test = try TrainingFixtures.thermalFrames(count: 20, temperature: 600, seed: 99)
        let start = clock.now
        let model = try MLTrainer.train(frames: train, descriptor: Self.descriptor, seed: 1, member: 0)
        let elapsed = clock.now - start
        let trainErrors = try MLTrainer.errors(of: model, on: train)
        let testErrors = try MLTrainer.errors(of: model, on: test)
        print("train \(train.count) frames in \(elapsed): train RMSE E \(trainErrors.energyPerAtom * 1000) meV/atom, F \(trainErrors.force) eV/Å, W \(trainErrors.virialPerAtom ?? -1)")
        print("held-out 600 K: E \(testErrors.energyPerAtom * 1000) meV/atom, F \(testErrors.force) eV/Å, W \(testErrors.virialPerAtom ?? -1) eV/atom")
        #expect(testErrors.force <= 0.10)
        #expect(testErrors.energyPerAtom <= 0.005)
    }
}
