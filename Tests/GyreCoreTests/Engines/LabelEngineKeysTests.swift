import Foundation
import Testing
@testable import GyreCore

/// `label.basis_sets` and `label.pseudopotentials` for CP2K, `label.basis`
/// for Gaussian: decoded, checked, and written into the inputs by element.
@Suite struct LabelEngineKeysTests {
    static let builtinLabel = "  engine: builtin\n  potential: emt"

    static func label(_ yaml: String) throws -> (Workflow?, [Diagnostic]) {
        try WorkflowFixtures.analyze(WorkflowFixtures.patched(builtinLabel, yaml))
    }

    static func dft(_ workflow: Workflow?) -> DFTSettings? {
        switch workflow?.label.engine {
        case .cp2k(let s), .gaussian(let s): s
        default: nil
        }
    }

    @Test func cp2kBasisSetsAndPotentialsAreDecodedByElement() throws {
        let (workflow, diagnostics) = try Self.label("""
              engine: cp2k
              template: ../templates/pw.in
              basis_sets: {Cu: DZVP-MOLOPT-SR-GTH-q11}
              pseudopotentials: {Cu: GTH-PBE-q11}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let settings = try #require(Self.dft(workflow))
        #expect(settings.basisSets == ["Cu": "DZVP-MOLOPT-SR-GTH-q11"])
        #expect(settings.pseudopotentials == ["Cu": "GTH-PBE-q11"])
    }

    @Test func gaussianBasisIsDecodedAndDefaults() throws {
        let (workflow, diagnostics) = try Self.label("  engine: gaussian\n  template: ../templates/pw.in\n  basis: def2-SVP")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(Self.dft(workflow)?.basis == "def2-SVP")
        let (plain, _) = try Self.label("  engine: gaussian\n  template: ../templates/pw.in")
        #expect(Self.dft(plain)?.basis == "6-31G(d)")
    }

    @Test(arguments: [
        ("  engine: cp2k\n  template: ../templates/pw.in\n  basis_sets: {Si: DZVP-MOLOPT-SR-GTH}", "label.basis_sets.Si: `Si` is not in `elements`"),
        ("  engine: cp2k\n  template: ../templates/pw.in\n  basis_sets: {Cu: \"DZVP MOLOPT\"}", "label.basis_sets.Cu must be one name without spaces"),
        ("  engine: cp2k\n  template: ../templates/pw.in\n  basis_sets: [DZVP]", "label.basis_sets must map each element to a file or name"),
        ("  engine: cp2k\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: \"GTH-PBE\\n  &END KIND\"}", "label.pseudopotentials.Cu must be one name without spaces"),
        ("  engine: gaussian\n  template: ../templates/pw.in\n  basis: \"6-31G\\n\\n0 1\"", "label.basis must be one basis name without spaces"),
        ("  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: Cu.UPF}\n  basis_sets: {Cu: X}", "label.basis_sets belongs to engine cp2k"),
    ])
    func badValuesAreRefusedWithTheirPlace(yaml: String, message: String) throws {
        let (workflow, diagnostics) = try Self.label(yaml)
        #expect(workflow == nil)
        #expect(diagnostics.contains { $0.message.hasPrefix(message) }, "\(diagnostics.map(\.message))")
    }

    static func cp2kSettings(in dir: TempDir, basisSets: [String: String], potentials: [String: String]) throws -> DFTSettings {
        var settings = try CP2KTests.settings(in: dir)
        settings.basisSets = basisSets
        settings.pseudopotentials = potentials
        return settings
    }

    @Test func cp2kKindsNameEachElementsBasisAndPotential() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let settings = try Self.cp2kSettings(in: dir, basisSets: ["O": "DZVP-MOLOPT-GTH"], potentials: ["H": "GTH-PBE-q1"])
        let input = try CP2KInputWriter(settings: settings, elements: ["H", "O"]).input(for: CP2KTests.water)
        #expect(input.contains("&KIND H\n      BASIS_SET DZVP-MOLOPT-SR-GTH\n      POTENTIAL GTH-PBE-q1\n"), "\(input)")
        #expect(input.contains("&KIND O\n      BASIS_SET DZVP-MOLOPT-GTH\n      POTENTIAL GTH-PBE\n"), "\(input)")
    }

    @Test(.enabled(if: CP2KTests.cp2k != nil, "skipped: no cp2k (apt-get install cp2k cp2k-data)"))
    func realCp2kAcceptsTheNamedBasisSetsAndPotentials() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let settings = try Self.cp2kSettings(
            in: dir, basisSets: ["H": "DZVP-MOLOPT-GTH", "O": "DZVP-MOLOPT-GTH"], potentials: ["H": "GTH-PBE-q1", "O": "GTH-PBE-q6"])
        let adapter = try CP2KLabelAdapter(settings: settings, elements: ["H", "O"])
        let task = try await CP2KTests.run(adapter, CP2KTests.water, in: dir)
        let output = try String(contentsOf: task.appendingPathComponent("stdout.log"), encoding: .utf8)
        #expect(adapter.rejection(task) == nil)
        // CP2K reports the basis it read for each kind: the one we named, not the default SR variant.
        #expect(output.contains("DZVP-MOLOPT-GTH") && !output.contains("DZVP-MOLOPT-SR-GTH"))
        #expect(output.contains("GTH-PBE-q6"))
    }

    @Test func gaussianInputCarriesTheBasis() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var settings = try CP2KTests.settings(in: dir)
        settings.template = DFTTest.repoRoot.appendingPathComponent("Templates/gaussian/input.gjf")
        settings.basis = "def2-SVP"
        settings.charge = -1
        settings.multiplicity = 2
        try GaussianLabelAdapter(settings: settings).prepare(CP2KTests.water, in: dir.url)
        let input = try String(contentsOf: dir.file("input.gjf"), encoding: .utf8)
        #expect(input.contains("#p B3LYP/def2-SVP force nosymm\n"), "\(input)")
        #expect(input.contains("\n-1 2\nO "), "\(input)")
        #expect(input.hasSuffix("\n\n"), "Gaussian needs the blank line after the geometry")
    }
}
