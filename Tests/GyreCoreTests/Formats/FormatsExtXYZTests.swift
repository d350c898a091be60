import Foundation
import Testing
@testable import GyreCore

@Suite struct FormatsExtXYZTests {
    @Test func roundTripIsExact() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = [Sample.frame(seed: 1), Sample.frame(seed: 2, labelled: false),
                      Sample.frame(seed: 3, atoms: 3, species: ["O", "H"], labelled: true, cell: false)]
        let url = dir.file("t.extxyz")
        try ExtXYZ.write(frames, to: url)
        let back = try ExtXYZ.read(url)
        #expect(back.count == 3)
        #expect(back[0] == frames[0])
        #expect(back[1] == frames[1])
        // No Lattice: no cell at all.
        #expect(back[2].cell == nil)
        #expect(back[2].positions == frames[2].positions)
        #expect(back[2].forces == frames[2].forces)
    }

    @Test func streamingReaderAndAppend() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = dir.file("traj.xyz")
        for seed in 1...20 { try ExtXYZ.append([Sample.frame(seed: UInt64(seed))], to: url) }
        var reader = try ExtXYZReader(url: url)
        var n = 0
        while let f = try reader.next() {
            n += 1
            #expect(f == Sample.frame(seed: UInt64(n)))
        }
        #expect(n == 20)
    }

    @Test func readsASEConventions() throws {
        let frames = try ExtXYZ.read(Sample.fixture("ase_stress.extxyz"))
        #expect(frames.count == 3)
        let a = frames[0]
        #expect(a.species == ["Cu", "Cu"])
        #expect(a.energy == -7.5)
        #expect(a.forces?[0] == SIMD3(0.1, -0.2, 0.3))
        // W = −σ·V with V = 64 Å³.
        #expect(a.virial == Matrix3.diagonal(-0.64, -1.28, -1.92))
        let b = frames[1]
        #expect(b.species == ["O", "H", "H"])
        #expect(b.positions[1] == SIMD3(0, 0.75, 0.58))
        #expect(b.cell?.pbc == Periodicity(true, true, false))
        // Voigt xx yy zz yz xz xy = 0.1 0.2 0.3 0.4 0.5 0.6, V = 27.
        let v = try #require(b.virial)
        #expect(close(v, -27 * Matrix3(SIMD3(0.1, 0.6, 0.5), SIMD3(0.6, 0.2, 0.4), SIMD3(0.5, 0.4, 0.3))))
        #expect(frames[2].cell == nil)
        #expect(frames[2].forces == nil)
    }

    @Test func formatIsReadableText() {
        let f = Frame(species: ["Cu"], positions: [SIMD3(0.1, 0.2, 0.3)], cell: .orthorhombic(3, 3, 3), energy: -1.5)
        let text = ExtXYZ.format(f)
        #expect(text == "1\nLattice=\"3.0 0.0 0.0 0.0 3.0 0.0 0.0 0.0 3.0\" Properties=species:S:1:pos:R:3 energy=-1.5 pbc=\"T T T\"\nCu 0.1 0.2 0.3\n")
    }
}
