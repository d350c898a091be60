import Foundation
import GyreTestSupport
import GyreCore
import Testing

@testable import GyreBuiltin

/// Gyre's shifted Lennard-Jones against ASE's `LennardJones(smooth=False)`
/// (Tests/Scripts/builtin_lj_reference.py), and run-to-run bitwise determinism
/// of the multi-threaded evaluation.
struct PotentialsLJReferenceTests {
    struct Output: Decodable {
        var sigma: Double
        var epsilon: Double
        var rc: Double
        var configurations: [PotentialsEMTReferenceTests.Reference]
    }

    @Test(.enabled("skipped: needs the Python venv .venv with ase (python -m venv .venv && .venv/bin/pip install ase)") {
        await PotentialsFixtures.python.value != nil
    })
    func matchesASE() async throws {
        let python = try #require(await PotentialsFixtures.python.value)
        let script = PotentialsFixtures.packageRoot.appendingPathComponent("Tests/Scripts/builtin_lj_reference.py")
        let output = try await ExternalTool.run(python.path, [script.path])
        try #require(output.succeeded, "builtin_lj_reference.py: \(output.outcome)")
        let reference = try JSONDecoder().decode(Output.self, from: Data(output.stdout.utf8))
        let lj = LennardJones(elements: ["Ar"], epsilon: reference.epsilon, sigma: reference.sigma, cutoff: reference.rc, shifted: true)
        for (n, ref) in reference.configurations.enumerated() {
            let matrix = try #require(Matrix3(rowMajor: ref.cell))
            let frame = Frame(species: ref.symbols, positions: ref.positions.map { SIMD3($0[0], $0[1], $0[2]) }, cell: Cell(matrix))
            let result = try lj.evaluate(frame)
            #expect(abs(result.energy - ref.energy) < 1e-9, "config \(n): energy \(result.energy) vs ASE \(ref.energy)")
            let df = PotentialsFixtures.maxAbs(result.forces, ref.forces.map { SIMD3($0[0], $0[1], $0[2]) })
            #expect(df < 1e-9, "config \(n): forces differ by \(df)")
            let sigma = try #require(ref.stress.flatMap { Matrix3(rowMajor: $0) })
            let dw = PotentialsFixtures.maxAbs(result.virial, (-abs(matrix.determinant)) * sigma)
            #expect(dw < 1e-9, "config \(n): virial differs by \(dw)")
        }
    }

    /// Fixed chunks and ordered reductions: repeated multi-threaded evaluations agree bit for bit.
    @Test func threadedEvaluationIsBitwiseReproducible() throws {
        let silicon = PotentialsFixtures.lattice("diamond", element: "Si", a: 5.431, repeat: 4, rattle: 0.1, seed: 31)
        let first = try StillingerWeber().evaluate(silicon)
        for _ in 0..<3 {
            let again = try StillingerWeber().evaluate(silicon)
            #expect(again.energy == first.energy)
            #expect(again.forces == first.forces)
            #expect(again.virial == first.virial)
        }
    }
}
