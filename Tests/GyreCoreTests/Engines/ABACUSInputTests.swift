import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// ABACUS inputs (not installable here): INPUT from the template, STRU and KPT
/// as ABACUS documents them, read back by Gyre's STRU reader and by dpdata;
/// the adapter reads a real run's log with the structure it wrote.
@Suite struct ABACUSInputTests {
    static func settings(kspacing: Double? = 0.3) -> DFTSettings {
        DFTSettings(template: DFTTest.repoRoot.appendingPathComponent("Templates/abacus/INPUT"), command: "abacus",
                    pseudopotentials: ["Si": "Si.upf", "O": "O.upf", "H": "H.upf", "C": "C.upf"],
                    pseudoDirectory: URL(fileURLWithPath: "/opt/pseudo"), kspacing: kspacing, charge: 0, multiplicity: 1)
    }

    /// Three atoms given O, Si, O: STRU lists Si first (`elements` order).
    static let frame = Frame(
        species: ["O", "Si", "O"],
        positions: [SIMD3(0.1, 0.2, 0.3), SIMD3(1.25, 1.5, 1.75), SIMD3(2.0000000000000004, 0.5, 1e-5)],
        cell: Cell(Matrix3(SIMD3(4.1, 0.013, 0), SIMD3(0.7, 3.9, 0), SIMD3(-0.3, 0.45, 5.2))))

    @Test func writesInputStructureAndKPointsByElement() throws {
        let writer = try ABACUSInputWriter(settings: Self.settings(), elements: ["Si", "O"], masses: ["O": 16.5])
        let grouped = writer.grouped(Self.frame)
        #expect(grouped.species == ["Si", "O", "O"])
        #expect(grouped.positions == [Self.frame.positions[1], Self.frame.positions[0], Self.frame.positions[2]])
        let stru = try writer.structure(grouped)
        #expect(stru.hasPrefix("ATOMIC_SPECIES\nSi 28.085 Si.upf\nO 16.5 O.upf\n"), "\(stru)")
        #expect(stru.contains("\nSi\n0.0\n1\n1.25 1.5 1.75 1 1 1\n"), "\(stru)")
        #expect(stru.contains("\nO\n0.0\n2\n0.1 0.2 0.3 1 1 1\n2.0000000000000004 0.5 1e-05 1 1 1\n"), "\(stru)")
        let input = writer.input(for: grouped)
        #expect(input.contains("ntype           2\n") && input.contains("pseudo_dir      /opt/pseudo\n"), "\(input)")
        // ABACUS skips anything before the INPUT_PARAMETERS word; the template's comment leaves one blank line.
        #expect(input.drop { $0.isNewline }.hasPrefix("INPUT_PARAMETERS\n"), "\(input)")
        let cell = try #require(grouped.cell)
        let mesh = try #require(KPointMesh.mesh(for: cell, spacing: 0.3))
        #expect(writer.kPoints(grouped) == "K_POINTS\n0\nGamma\n\(mesh[0]) \(mesh[1]) \(mesh[2]) 0 0 0\n")
        let gamma = try ABACUSInputWriter(settings: Self.settings(kspacing: nil), elements: ["Si", "O"], masses: [:])
        #expect(gamma.kPoints(grouped).hasSuffix("Gamma\n1 1 1 0 0 0\n"))

        // Gyre's own STRU reader gets the grouped frame back (through 1 Å written in Bohr).
        let back = try ABACUSStructure.read(stru).get()
        #expect(back.species == grouped.species)
        #expect(zip(back.positions, grouped.positions).allSatisfy { close($0, $1, 1e-12) })
        let backCell = try #require(back.cell)
        #expect(close(backCell.matrix, cell.matrix, 1e-12))
    }

    @Test func refusesWhatABACUSCannotTake() throws {
        let writer = try ABACUSInputWriter(settings: Self.settings(), elements: ["Si", "O"], masses: [:])
        var molecule = Self.frame
        molecule.cell = nil
        #expect(throws: GyreError.self) { try writer.structure(molecule) }
        let noPseudo = Frame(species: ["Cu"], positions: [.zero], cell: Self.frame.cell)
        #expect(throws: GyreError.self) { try writer.structure(noPseudo) }
    }

    @Test(.needsDpdata)
    func dpdataReadsTheStructure() async throws {
        let python = try #require(await DFTTest.python.value)
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try ABACUSInputWriter(settings: Self.settings(), elements: ["Si", "O"], masses: [:])
        let grouped = writer.grouped(Self.frame)
        try writer.write(grouped, in: dir.url)
        let script = """
            import sys, json, dpdata
            s = dpdata.System(sys.argv[1], fmt="abacus/stru")
            print(json.dumps({"names": s["atom_names"], "numbs": s["atom_numbs"],
                              "cell": s["cells"][0].tolist(), "coords": s["coords"][0].tolist()}))
            """
        let read = try await ExternalTool.run(python, ["-c", script, dir.file("STRU").path])
        #expect(read.succeeded, "\(read.report)")
        let output = read.stdout
        let line = try #require(output.split(separator: "\n").last { $0.hasPrefix("{") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["names"] as? [String] == ["Si", "O"])
        #expect(json["numbs"] as? [Int] == [1, 2])
        let cell = (json["cell"] as? [[Double]] ?? []).flatMap { $0 }
        let coords = (json["coords"] as? [[Double]] ?? []).flatMap { $0 }
        let written = try #require(grouped.cell).matrix.rowMajor
        #expect(zip(cell, written).allSatisfy { close($0, $1, 1e-9) }, "\(cell)")
        #expect(coords.count == 9)
        #expect(zip(coords, grouped.positions.flatMap { [$0.x, $0.y, $0.z] }).allSatisfy { close($0, $1, 1e-9) }, "\(coords)")
    }

    @Test(.needsRealOutputs)
    func adapterReadsARealRunsLogWithTheStructureItWrote() throws {
        let run = try #require(DFTTest.realOutputs).appendingPathComponent("abacus/good")
        let structure = try ABACUSStructure.read(try String(contentsOf: run.appendingPathComponent("STRU"), encoding: .utf8)).get()
        let dir = try TempDir()
        defer { dir.cleanup() }
        let adapter = try ABACUSLabelAdapter(settings: Self.settings(), elements: ["H", "C"], masses: [:])
        try adapter.prepare(structure, in: dir.url)
        #expect(adapter.rejection(dir.url) == "no OUT.*/running_scf.log")
        let out = dir.file("OUT.ABACUS")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: run.appendingPathComponent("OUT.ABACUS/running_scf.log"),
                                         to: out.appendingPathComponent("running_scf.log"))
        let labelled = try adapter.read(dir.url).get()
        let direct = try ABACUSLogTests.read("good").get()
        #expect(labelled == direct)

        // A second run's output beside it: which one is this task's cannot be told.
        try FileManager.default.createDirectory(at: dir.file("OUT.other"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: out.appendingPathComponent("running_scf.log"),
                                         to: dir.file("OUT.other/running_scf.log"))
        #expect(adapter.rejection(dir.url)?.contains("cannot tell which run") == true)
    }
}
