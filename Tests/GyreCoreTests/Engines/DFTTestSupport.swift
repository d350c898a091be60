import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Shared pieces of the DFT adapter tests: where the real engines, dpdata and
/// the shared real-world outputs are, and how to compare with dpdata.
enum DFTTest {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared/fixtures/real-outputs beside the repository, when present.
    static let realOutputs: URL? = {
        let url = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/real-outputs")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// A Python that imports dpdata: $GYRE_PYTHON, else the repository's .venv;
    /// looked for once, without blocking (importing dpdata takes seconds).
    static let python = Task { await ExternalTool.python(importing: "dpdata") }

    /// The path of an executable on $PATH, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let pwx = which("pw.x")
    static let pseudoDirectory = URL(fileURLWithPath: "/usr/share/espresso/pseudo")
    static let hasSiPseudo = FileManager.default.fileExists(atPath: pseudoDirectory.appendingPathComponent("Si.pbe-rrkj.UPF").path)

    /// The frames dpdata reads from `paths` with `format`, through Tests/Scripts/dft_dpdata_read.py.
    static func dpdata(_ format: String, _ paths: [URL]) async throws -> [[String: Any]] {
        let python = try #require(await python.value)
        let script = repoRoot.appendingPathComponent("Tests/Scripts/dft_dpdata_read.py").path
        let read = try await ExternalTool.run(python, [script, format] + paths.map(\.path))
        try #require(read.succeeded, "dft_dpdata_read.py failed: \(read.report)")
        let json = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any]
        return try #require(json?["frames"] as? [[String: Any]])
    }

    /// Expects `frame` to equal dpdata's `want` to `tolerance` relative (per
    /// quantity, relative to its largest component, so zeros compare sanely).
    static func expectAgrees(_ frame: Frame, _ want: [String: Any], tolerance: Double = 1e-8, _ what: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        func flat(_ any: Any?) -> [Double] {
            ((any as? [[Double]]) ?? []).flatMap { $0 }
        }
        func agree(_ got: [Double], _ expected: [Double], _ name: String) {
            #expect(got.count == expected.count, "\(what) \(name): \(got.count) numbers, dpdata \(expected.count)",
                    sourceLocation: sourceLocation)
            let scale = max(expected.map(abs).max() ?? 0, 1e-300)
            let worst = zip(got, expected).map { abs($0 - $1) / scale }.max() ?? 0
            #expect(worst <= tolerance, "\(what) \(name): relative difference \(worst)", sourceLocation: sourceLocation)
        }
        #expect(frame.species == (want["species"] as? [String] ?? []), "\(what) species", sourceLocation: sourceLocation)
        agree([frame.energy ?? .nan], [(want["energy"] as? Double) ?? .nan], "energy")
        agree((frame.forces ?? []).flatMap { [$0.x, $0.y, $0.z] }, flat(want["forces"]), "forces")
        agree(frame.positions.flatMap { [$0.x, $0.y, $0.z] }, flat(want["coords"]), "coords")
        if want["virial"] != nil || frame.virial != nil {
            agree(frame.virial?.rowMajor ?? [], flat(want["virial"]), "virial")
        }
        if want["cell"] != nil || frame.cell != nil {
            agree(frame.cell?.matrix.rowMajor ?? [], flat(want["cell"]), "cell")
        }
    }

    static func fixture(_ path: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("engines").appendingPathComponent(path)
    }

    /// Diamond Si, `repeat` conventional cells (8 atoms each) or the 2-atom
    /// primitive cell, with small deterministic displacements so forces and
    /// stress are not zero by symmetry.
    static func silicon(primitive: Bool, a: Double = 5.43) -> Frame {
        let basis: [SIMD3<Double>] = [
            SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0),
            SIMD3(0.25, 0.25, 0.25), SIMD3(0.25, 0.75, 0.75), SIMD3(0.75, 0.25, 0.75), SIMD3(0.75, 0.75, 0.25),
        ]
        let shake: (Int) -> SIMD3<Double> = { i in
            SIMD3(0.031 * sin(Double(i) + 1), 0.027 * cos(2 * Double(i) + 1), -0.019 * sin(3 * Double(i) + 2))
        }
        if primitive {
            let h = a / 2
            let cell = Cell(Matrix3(SIMD3(0, h, h), SIMD3(h, 0, h), SIMD3(h, h, 0.02)))
            return Frame(species: ["Si", "Si"], positions: [shake(0), SIMD3(a / 4, a / 4, a / 4) + shake(1)], cell: cell)
        }
        let cell = Cell(Matrix3(SIMD3(a, 0, 0), SIMD3(0.03, a, 0), SIMD3(0, 0, a * 1.01)))
        let positions = basis.enumerated().map { cell.cartesian(fromFractional: $1) + shake($0) }
        return Frame(species: Array(repeating: "Si", count: 8), positions: positions, cell: cell)
    }

    /// DFT settings for Si with the repository's pw.x template (or `template`).
    static func siSettings(template: URL? = nil, kspacing: Double? = 0.5) -> DFTSettings {
        DFTSettings(
            template: template ?? repoRoot.appendingPathComponent("Templates/qe/pw.in"), command: "pw.x -in pw.in",
            pseudopotentials: ["Si": "Si.pbe-rrkj.UPF"], pseudoDirectory: pseudoDirectory,
            kspacing: kspacing, charge: 0, multiplicity: 1)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where a Python with dpdata was found.
    static var needsDpdata: Self {
        .enabled("skipped: no Python with dpdata (.venv/bin/python or $GYRE_PYTHON)") { await DFTTest.python.value != nil }
    }

    /// Runs the test only where ../shared/fixtures/real-outputs is present.
    static var needsRealOutputs: Self {
        .enabled(if: DFTTest.realOutputs != nil, "skipped: ../shared/fixtures/real-outputs absent")
    }
}
