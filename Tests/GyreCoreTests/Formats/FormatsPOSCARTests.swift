import Foundation
import Testing
@testable import GyreCore

@Suite struct FormatsPOSCARTests {
    @Test(arguments: [POSCAR.Coordinates.direct, .cartesian])
    func roundTrip(_ coordinates: POSCAR.Coordinates) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = Sample.frame(seed: 7, atoms: 6, species: ["Cu", "Au", "Ag"], labelled: false)
        let url = dir.file("POSCAR")
        try POSCAR.write(f, to: url, elementOrder: ["Ag", "Au", "Cu"], coordinates: coordinates)
        let back = try POSCAR.read(url)
        #expect(back.species == ["Ag", "Ag", "Au", "Au", "Cu", "Cu"])
        #expect(back.cell?.matrix == f.cell?.matrix)
        // Regrouped: Ag atoms were 2 and 5, Au 1 and 4, Cu 0 and 3.
        for (k, i) in [2, 5, 1, 4, 0, 3].enumerated() {
            #expect(close(back.positions[k], f.positions[i], 1e-12))
        }
    }

    @Test func readsSelectiveDynamicsAndTargetVolume() throws {
        let f = try POSCAR.read(Sample.fixture("POSCAR_selective"))
        #expect(f.species == ["Si", "O", "O"])
        let cell = try #require(f.cell)
        #expect(close(cell.volume, 125))
        #expect(close(f.positions[1], SIMD3(2.5, 2.5, 0)))
        #expect(close(f.positions[2], SIMD3(2.5, 0, 2.5)))
    }

    @Test func rejectsMissingSpeciesInOrderAndNoCell() throws {
        let f = Sample.frame(seed: 1)
        #expect(throws: GyreError.self) { try POSCAR.format(f, elementOrder: ["Cu"]) }
        var nocell = f
        nocell.cell = nil
        #expect(throws: GyreError.self) { try POSCAR.format(nocell) }
    }

    @Test func malformed() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let good = "x\n1.0\n3 0 0\n0 3 0\n0 0 3\nCu\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n"
        let cases = [
            good.replacingOccurrences(of: "0.5 0.5 0.5\n", with: ""),  // truncated
            good.replacingOccurrences(of: "0 3 0", with: "0 3"),  // short lattice row
            good.replacingOccurrences(of: "0.5 0.5 0.5", with: "0.5 nan 0.5"),  // NaN position
            good.replacingOccurrences(of: "\n2\n", with: "\n1000000000000\n"),  // absurd count
            good.replacingOccurrences(of: "Direct", with: "Sideways"),
            good.replacingOccurrences(of: "Cu", with: "Qq"),
        ]
        for (i, text) in cases.enumerated() {
            let url = try dir.write(text, to: "POSCAR_\(i)")
            expectMalformed("case \(i)") { _ = try POSCAR.read(url) }
        }
    }
}
