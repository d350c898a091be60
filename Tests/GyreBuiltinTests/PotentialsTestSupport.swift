import Foundation
import GyreTestSupport
import Testing

@testable import GyreBuiltin
@testable import GyreCore

/// Shared builders and external reference tools for the potential and MD tests.
enum PotentialsFixtures {
    /// Root of the package, found from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's Python venv with ASE, if it has been created; looked for once, without blocking.
    static let python = Task { () -> URL? in
        let url = packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: url.path) else { return nil }
        return (try? await ExternalTool.run(url.path, ["-c", "import ase"]))?.succeeded == true ? url : nil
    }

    /// LAMMPS from Debian's `lammps` package with its Si.sw.
    static let lammps: URL? = {
        let url = URL(fileURLWithPath: "/usr/bin/lmp")
        let potential = "/usr/share/lammps/potentials/Si.sw"
        return FileManager.default.isExecutableFile(atPath: url.path)
            && FileManager.default.fileExists(atPath: potential) ? url : nil
    }()

    /// Conventional cubic cells of fcc or diamond, repeated, optionally rattled.
    static func lattice(
        _ kind: String, element: String, a: Double, repeat n: Int, rattle: Double = 0, seed: UInt64 = 1
    ) -> Frame {
        let basis: [SIMD3<Double>] = kind == "diamond"
            ? [SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0),
               SIMD3(0.25, 0.25, 0.25), SIMD3(0.25, 0.75, 0.75), SIMD3(0.75, 0.25, 0.75), SIMD3(0.75, 0.75, 0.25)]
            : [SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0)]
        var rng = SeededGenerator(seed: seed, stream: ["lattice", kind, element])
        var positions: [SIMD3<Double>] = []
        for x in 0..<n {
            for y in 0..<n {
                for z in 0..<n {
                    for b in basis {
                        let r = a * (b + SIMD3(Double(x), Double(y), Double(z)))
                        positions.append(r + rattle * SIMD3(rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()))
                    }
                }
            }
        }
        let side = a * Double(n)
        return Frame(species: Array(repeating: element, count: positions.count), positions: positions,
                     cell: .orthorhombic(side, side, side))
    }

    /// Applies the symmetric-or-not deformation r → r (I + ε) to positions and cell.
    static func strained(_ frame: Frame, by strain: Matrix3) -> Frame {
        let f = Matrix3.identity + strain
        var out = frame
        out.positions = frame.positions.map { f.leftMultiply($0) }
        if let cell = frame.cell { out.cell = Cell(cell.matrix * f, pbc: cell.pbc) }
        return out
    }

    static func maxAbs(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
        zip(a, b).map { pair in let d = pair.0 - pair.1; return max(abs(d.x), abs(d.y), abs(d.z)) }.max() ?? 0
    }

    static func maxAbs(_ a: Matrix3, _ b: Matrix3) -> Double {
        zip(a.rowMajor, b.rowMajor).map { abs($0 - $1) }.max() ?? 0
    }
}
