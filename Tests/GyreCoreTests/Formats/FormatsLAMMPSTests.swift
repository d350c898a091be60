import Foundation
import Testing
@testable import GyreCore

@Suite struct FormatsLAMMPSTests {
    @Test func dataRoundTripRotatesGeneralCell() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let f = Sample.frame(seed: 3, atoms: 7, labelled: false)
        let url = dir.file("conf.data")
        try LAMMPSData.write(f, to: url, typeMap: ["Au", "Cu", "Ag"])
        let back = try LAMMPSData.read(url, typeMap: ["Au", "Cu", "Ag"])
        #expect(back.species == f.species)
        let cell = try #require(back.cell).matrix
        // Restricted form: a along x, b in the xy plane; same lengths, angles and volume.
        #expect(cell.rows.0.y == 0 && cell.rows.0.z == 0 && cell.rows.1.z == 0)
        let old = try #require(f.cell)
        #expect(close(Cell(cell).lengths, old.lengths))
        #expect(close(Cell(cell).volume, old.volume))
        // Same fractional coordinates: the structure moved rigidly.
        let inv = try #require(cell.inverse), oldInv = try #require(old.matrix.inverse)
        for i in 0..<f.count {
            #expect(close(inv.leftMultiply(back.positions[i]), oldInv.leftMultiply(f.positions[i]), 1e-12))
        }
        // Without a typeMap the Masses comments name the types.
        #expect(try LAMMPSData.read(url).species == f.species)
    }

    @Test func restrictedCellIsWrittenUnchanged() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let m = Matrix3(SIMD3(4, 0, 0), SIMD3(1.25, 3.5, 0), SIMD3(-0.5, 0.75, 5))
        let f = Frame(species: ["Cu", "Cu"], positions: [SIMD3(0.1, 0.2, 0.3), SIMD3(2.123456789012345, 1, 4)], cell: Cell(m))
        let url = dir.file("conf.lmp")
        try LAMMPSData.write(f, to: url, typeMap: ["Cu"])
        let back = try LAMMPSData.read(url, typeMap: ["Cu"])
        #expect(back == f)
    }

    @Test func dataReadsHeaderVariants() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = """
        # comment title

        3 atoms
        2 atom types
        0 bonds
        -1.0 3.0 xlo xhi
        0.0 4.0 ylo yhi
        0.0 5.0 zlo zhi

        Masses

        1 15.999
        2 1.008

        Atoms # atomic

        3 2 0.0 -0.75 0.58 0 0 0
        1 1 0.0 0.0 0.0 0 0 0
        2 2 0.0 0.75 0.58 1 0 0

        Velocities

        1 0 0 0
        2 0 0 0
        3 0 0 0
        """
        let f = try LAMMPSData.read(try dir.write(text + "\n", to: "w.data"))
        #expect(f.species == ["O", "H", "H"])
        #expect(f.positions[2] == SIMD3(0, -0.75, 0.58))
        #expect(f.cell?.matrix == .diagonal(4, 4, 5))
    }

    @Test func dumpFixtureTriclinicAndScaled() throws {
        var reader = try LAMMPSDumpReader(url: Sample.fixture("dump_triclinic.lammpstrj"), typeMap: ["Cu", "Au"])
        let s1 = try #require(try reader.next())
        #expect(s1.timestep == 100)
        let cell = try #require(s1.frame.cell)
        #expect(cell.matrix == Matrix3(SIMD3(4.5, 0, 0), SIMD3(1.5, 3.5, 0), SIMD3(-0.5, 0.5, 3)))
        #expect(cell.pbc == Periodicity(true, true, false))
        // Sorted by id; the element column wins over types.
        #expect(s1.frame.species == ["Au", "Cu"])
        #expect(s1.frame.positions == [SIMD3(0, 0, 0), SIMD3(1, 1.5, 0.5)])
        #expect(s1.frame.forces == [SIMD3(-0.3, -0.2, -0.1), SIMD3(0.3, 0.2, 0.1)])
        let s2 = try #require(try reader.next())
        #expect(s2.timestep == 200)
        #expect(s2.frame.species == ["Au"])
        #expect(s2.frame.positions == [SIMD3(2, 1, 0.5)])
        #expect(s2.frame.forces == nil)
        #expect(try reader.next() == nil)
    }

    @Test func dumpMalformed() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let good = try String(contentsOf: Sample.fixture("dump_triclinic.lammpstrj"), encoding: .utf8)
        let cases = [
            String(good.prefix(good.count - 20)),
            good.replacingOccurrences(of: "0.3 1.0 Cu 1 1.5 2 0.5 0.2 0.1", with: "0.3 1.0 Cu 1 1.5 2 0.5 0.2"),
            good.replacingOccurrences(of: "1.0 Cu 1 1.5", with: "inf Cu 1 1.5"),
            good.replacingOccurrences(of: "ATOMS\n2", with: "ATOMS\n999999999999"),
            good.replacingOccurrences(of: "-1.0 5.5 1.5", with: "-1.0 5.5"),
            good.replacingOccurrences(of: "1 2 0.5 0.25", with: "1 3 0.5 0.25"),  // type outside typeMap
            good.replacingOccurrences(of: "2 0.5 0.2 0.1", with: "1 0.5 0.2 0.1"),  // duplicate id
        ]
        for (i, text) in cases.enumerated() {
            let url = try dir.write(text, to: "d\(i).dump")
            expectMalformed("case \(i)") { _ = try LAMMPSDump.read(url, typeMap: ["Cu", "Au"]) }
        }
    }
}
