import Foundation
import Testing
@testable import GyreCore

/// A fresh directory under the system temp dir, removed by the caller with `cleanup()`.
struct TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ text: String, to name: String) throws -> URL {
        let u = file(name)
        try text.write(to: u, atomically: true, encoding: .utf8)
        return u
    }

    func write(bytes: [UInt8], to name: String) throws -> URL {
        let u = file(name)
        try Data(bytes).write(to: u)
        return u
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

enum Sample {
    /// A fixture file under Fixtures/formats.
    static func fixture(_ name: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("formats").appendingPathComponent(name)
    }

    /// A labelled triclinic frame with awkward numbers (many digits, tiny and huge magnitudes).
    static func frame(seed: UInt64 = 1, atoms: Int = 5, species: [String] = ["Cu", "Au"],
                      labelled: Bool = true, cell: Bool = true) -> Frame {
        var g = SeededGenerator(seed: seed)
        let m = Matrix3(SIMD3(4.1 + Double.random(in: 0..<0.1, using: &g), 0.013, -0.021),
                        SIMD3(0.71, 3.9 + Double.random(in: 0..<0.1, using: &g), 0.017),
                        SIMD3(-0.3, 0.45, 5.2 + Double.random(in: 0..<0.1, using: &g)))
        let positions = (0..<atoms).map { _ in
            SIMD3(Double.random(in: 0..<4, using: &g), Double.random(in: 0..<4, using: &g), Double.random(in: 0..<5, using: &g))
        }
        let forces = (0..<atoms).map { _ in
            SIMD3(Double.random(in: -1...1, using: &g), Double.random(in: -1e-7...1e-7, using: &g), Double.random(in: -3...3, using: &g))
        }
        let virial = Matrix3(rowMajor: (0..<9).map { _ in Double.random(in: -2...2, using: &g) })
        return Frame(species: (0..<atoms).map { species[$0 % species.count] }, positions: positions,
                     cell: cell ? Cell(m) : nil,
                     energy: labelled ? -3.123456789012345 * Double(atoms) + Double.random(in: 0..<1, using: &g) : nil,
                     forces: labelled ? forces : nil, virial: labelled ? virial : nil)
    }
}

/// |a − b| ≤ tol · max(1, |a|, |b|): relative for large values, absolute near zero.
func close(_ a: Double, _ b: Double, _ tol: Double = 1e-10) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}

func close(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ tol: Double = 1e-10) -> Bool {
    close(a.x, b.x, tol) && close(a.y, b.y, tol) && close(a.z, b.z, tol)
}

func close(_ a: Matrix3, _ b: Matrix3, _ tol: Double = 1e-10) -> Bool {
    zip(a.rowMajor, b.rowMajor).allSatisfy { close($0, $1, tol) }
}

/// Expects `body` to throw a malformed-file GyreError located in a file; returns it.
@discardableResult
func expectMalformed(_ comment: Comment? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) -> GyreError? {
    do {
        try body()
        Issue.record("expected a malformed-file error\(comment.map { ": \($0)" } ?? "")", sourceLocation: sourceLocation)
        return nil
    } catch let e as GyreError {
        #expect(e.code == .malformedFile, "\(e)", sourceLocation: sourceLocation)
        #expect(e.location != nil, "error without a location: \(e)", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("expected GyreError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
