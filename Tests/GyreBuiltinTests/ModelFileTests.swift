import Foundation
import GyreCore
import Testing

@testable import GyreBuiltin

@Suite("ML model file")
struct ModelFileTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("save then load gives the same model and the same bytes")
    func roundTrip() throws {
        let model = try ModelGradientTests.randomModel(seed: 11)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.json")
        try model.save(to: url)
        let loaded = try MLPotential.load(url)
        #expect(loaded == model)
        #expect(try loaded.fileData() == Data(contentsOf: url))
        let frame = ModelGradientTests.triclinicFrame(seed: 12)
        #expect(try loaded.evaluate(frame).energy == model.evaluate(frame).energy)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["model.json"], "no temporary files stay behind")
    }

    @Test("unknown versions and foreign files are rejected with a clear error", arguments: [
        (#"{"format": "gyre-ml", "version": 2, "model": {}}"#, "unsupported gyre-ml model version 2"),
        (#"{"format": "deepmd", "version": 1}"#, "not a Gyre ML model"),
        (#"{"version": 1}"#, "format is missing"),
        ("not json", "not a JSON model file"),
    ])
    func rejectsUnknownFiles(text: String, message: String) throws {
        do {
            _ = try MLPotential.decode(Data(text.utf8), name: "m.json")
            Issue.record("decoding should fail")
        } catch let error as GyreError {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.location?.file == "m.json")
        }
    }

    @Test("parameters that do not match the descriptor are rejected")
    func rejectsShapeMismatch() throws {
        let model = try ModelGradientTests.randomModel(seed: 13)
        var parameters = model.parameters
        parameters.weights[1].removeLast()
        #expect(throws: GyreError.self) { try MLPotential(descriptor: model.descriptor, parameters: parameters) }
    }

    @Test("an ensemble loads in order and must agree on elements")
    func ensembleLoads() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try ModelGradientTests.randomModel(seed: 14), b = try ModelGradientTests.randomModel(seed: 15)
        let urls = [directory.appendingPathComponent("m0.json"), directory.appendingPathComponent("m1.json")]
        try a.save(to: urls[0])
        try b.save(to: urls[1])
        let loaded = try EnsembleModel.load(urls)
        #expect(loaded == [a, b])

        let other = try MLPotential(
            descriptor: DescriptorSettings(elements: ["Ni"], radialCount: 2, angularCount: 1),
            parameters: MLModelParameters(
                featureMean: [Array(repeating: 0, count: 7)], featureScale: [Array(repeating: 1, count: 7)],
                weights: [Array(repeating: 0, count: 7)], referenceEnergy: [0]))
        let otherURL = directory.appendingPathComponent("m2.json")
        try other.save(to: otherURL)
        #expect(throws: GyreError.self) { try EnsembleModel.load(urls + [otherURL]) }
    }
}
