import Foundation
import GyreTestSupport
import GyreCore
import Testing

@testable import GyreBuiltin

/// Gyre's EMT against ASE's `ase.calculators.emt.EMT` on 20 seeded configurations
/// (Tests/Scripts/builtin_emt_reference.py): pure metals, Cu–Au alloys, triclinic,
/// one-atom cells and a cluster.
struct PotentialsEMTReferenceTests {
    struct Reference: Decodable {
        var symbols: [String]
        var positions: [[Double]]
        var cell: [Double]
        var pbc: [Bool]
        var energy: Double
        var forces: [[Double]]
        var energies: [Double]
        var stress: [Double]?
    }

    @Test(.enabled("skipped: needs the Python venv .venv with ase (python -m venv .venv && .venv/bin/pip install ase)") {
        await PotentialsFixtures.python.value != nil
    })
    func matchesASE() async throws {
        let python = try #require(await PotentialsFixtures.python.value)
        let script = PotentialsFixtures.packageRoot.appendingPathComponent("Tests/Scripts/builtin_emt_reference.py")
        let output = try await ExternalTool.run(python.path, [script.path])
        try #require(output.succeeded, "builtin_emt_reference.py: \(output.outcome)")
        let references = try JSONDecoder().decode([Reference].self, from: Data(output.stdout.utf8))
        #expect(references.count >= 20)
        let emt = EMT()
        for (n, ref) in references.enumerated() {
            let positions = ref.positions.map { SIMD3($0[0], $0[1], $0[2]) }
            let matrix = try #require(Matrix3(rowMajor: ref.cell))
            let frame = Frame(species: ref.symbols, positions: positions,
                              cell: Cell(matrix, pbc: Periodicity(ref.pbc[0], ref.pbc[1], ref.pbc[2])))
            let result = try emt.evaluate(frame)
            #expect(abs(result.energy - ref.energy) < 1e-6, "config \(n): energy \(result.energy) vs ASE \(ref.energy)")
            let forces = ref.forces.map { SIMD3($0[0], $0[1], $0[2]) }
            let df = PotentialsFixtures.maxAbs(result.forces, forces)
            #expect(df < 1e-6, "config \(n): forces differ by \(df)")
            if let atomic = result.atomicEnergies {
                let de = zip(atomic, ref.energies).map { abs($0 - $1) }.max() ?? 0
                #expect(de < 1e-6, "config \(n): atomic energies differ by \(de)")
            }
            if let stress = ref.stress, let sigma = Matrix3(rowMajor: stress) {
                // W = −σ V.
                let virial = (-abs(matrix.determinant)) * sigma
                let dw = PotentialsFixtures.maxAbs(result.virial, virial)
                #expect(dw < 1e-6, "config \(n): virial differs by \(dw)")
            }
        }
    }
}
