import Foundation
import GyreCore

/// The model file: JSON `{"format": "gyre-ml", "version": 1, "model": {…}}`,
/// keys sorted so the same model always gives the same bytes.
extension MLPotential {
    /// The format tag every model file carries.
    public static let fileFormat = "gyre-ml"
    /// The version this build writes and the only one it reads.
    public static let fileVersion = 1

    private struct Header: Decodable {
        var format: String?
        var version: Int?
    }

    private struct Envelope: Codable {
        var format: String
        var version: Int
        var model: MLPotential
    }

    /// The model as file bytes (deterministic: sorted keys, shortest round-trip numbers).
    public func fileData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Envelope(format: Self.fileFormat, version: Self.fileVersion, model: self))
    }

    /// Reads a model from file bytes; `name` is used in error messages.
    public static func decode(_ data: Data, name: String) throws -> MLPotential {
        let location = SourceLocation(file: name)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw GyreError(.malformedFile, "not a JSON model file", at: location, cause: error)
        }
        guard header.format == fileFormat else {
            throw GyreError(
                .malformedFile, "not a Gyre ML model: format is \(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(fileFormat)\"",
                at: location)
        }
        guard header.version == fileVersion else {
            throw GyreError(
                .malformedFile,
                "unsupported gyre-ml model version \(header.version.map(String.init) ?? "missing"); this Gyre reads version \(fileVersion)",
                at: location)
        }
        do {
            return try JSONDecoder().decode(Envelope.self, from: data).model
        } catch let error as GyreError {
            throw GyreError(error.code, error.message, at: location)
        } catch {
            throw GyreError(.malformedFile, "invalid gyre-ml model", at: location, cause: error)
        }
    }

    /// Loads a model file written by `save(to:)`.
    public static func load(_ url: URL) throws -> MLPotential {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GyreError(.io, "cannot read model", at: SourceLocation(file: url.path), cause: error)
        }
        return try decode(data, name: url.path)
    }

    /// Writes the model atomically: a temporary file beside the target, then a rename.
    public func save(to url: URL) throws {
        try AtomicFile.write(fileData(), to: url)
    }
}

/// The members of an ensemble, loaded together.
public enum EnsembleModel {
    /// Loads every model; they must describe the same elements in the same order.
    public static func load(_ urls: [URL]) throws -> [MLPotential] {
        guard !urls.isEmpty else { throw GyreError(.invalidInput, "an ensemble needs at least one model file") }
        let models = try urls.map(MLPotential.load)
        for (url, model) in zip(urls, models) where model.elements != models[0].elements {
            throw GyreError(
                .invalidInput,
                "model describes \(model.elements.joined(separator: ",")) but \(urls[0].lastPathComponent) describes \(models[0].elements.joined(separator: ","))",
                at: SourceLocation(file: url.path))
        }
        return models
    }
}
