import Foundation
import Testing
@testable import GyreCore

/// pw.x inputs: Gyre's blocks in the template, species looked up by element,
/// the k-point rule, and the structure reading back exactly.
@Suite struct QEInputTests {
    @Test(arguments: [
        // (cell edge Å, spacing Å⁻¹, expected n): n = max(1, ceil(2π/(a·k))) for a cube.
        (5.43, 0.5, 3), (5.43, 0.2, 6), (10.86, 0.5, 2), (40.0, 0.5, 1), (5.43, 10.0, 1),
    ])
    func kPointMeshFollowsTheSpacingRule(edge: Double, spacing: Double, n: Int) throws {
        let mesh = try #require(KPointMesh.mesh(for: .orthorhombic(edge, edge, edge), spacing: spacing))
        #expect(mesh == [n, n, n])
    }

    @Test func kPointMeshIsOneAlongNonPeriodicAxes() throws {
        let cell = Cell(.diagonal(5, 5, 5), pbc: Periodicity(true, true, false))
        #expect(KPointMesh.mesh(for: cell, spacing: 0.2) == [7, 7, 1])
    }

    @Test func writesSpeciesByElementNameInElementsOrder() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write("{{{atomic_species}}}\nnat={{nat}} ntyp={{ntyp}} dir={{pseudo_dir}}\n{{{k_points}}}\n", to: "t.in")
        var settings = DFTTest.siSettings(template: template, kspacing: nil)
        // Listed in the opposite order to `elements`: lookup must go by name.
        settings.pseudopotentials = ["O": "O.pbe.UPF", "Cu": "Cu.pbe.UPF"]
        settings.pseudoDirectory = URL(fileURLWithPath: "/pp/a&b")
        let writer = try QEInputWriter(settings: settings, elements: ["Cu", "O"], masses: ["O": 16.5])
        let frame = Frame(species: ["O", "Cu", "O"], positions: [.zero, SIMD3(1, 1, 1), SIMD3(2, 2, 2)], cell: .orthorhombic(4, 4, 4))
        let text = try writer.input(for: frame)
        #expect(text == "ATOMIC_SPECIES\nCu 63.546 Cu.pbe.UPF\nO 16.5 O.pbe.UPF\nnat=3 ntyp=2 dir=/pp/a&b\nK_POINTS gamma\n")
    }

    @Test func missingPseudopotentialIsAnError() throws {
        var settings = DFTTest.siSettings()
        settings.pseudopotentials = [:]
        let writer = try QEInputWriter(settings: settings, elements: ["Si"], masses: [:])
        #expect(throws: GyreError.self) { try writer.input(for: DFTTest.silicon(primitive: true)) }
    }

    @Test(arguments: [true, false])
    func structureReadsBackExactly(primitive: Bool) throws {
        let writer = try QEInputWriter(settings: DFTTest.siSettings(), elements: ["Si"], masses: [:])
        let frame = DFTTest.silicon(primitive: primitive)
        let text = try writer.input(for: frame)
        #expect(text.contains("K_POINTS automatic\n" + (primitive ? "5 5 5 0 0 0" : "3 3 3 0 0 0")))
        #expect(text.contains("pseudo_dir = '/usr/share/espresso/pseudo'"))
        let back = try QEInputStructure.read(text).get()
        #expect(back.species == frame.species)
        #expect(back.positions == frame.positions)
        #expect(back.cell == frame.cell)
    }
}
