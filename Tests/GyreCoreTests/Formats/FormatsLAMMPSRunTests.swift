import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Runs the real LAMMPS on a tilted fcc box and reads its `write_data` and
/// `dump custom` outputs back.
@Suite struct FormatsLAMMPSRunTests {
    static let lmp: String? = ["/usr/bin/lmp", "/usr/local/bin/lmp"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let input = """
    units metal
    atom_style atomic
    boundary p p p
    lattice fcc 3.61
    region box prism 0 3 0 3 0 3 0.7 -0.4 0.3 units lattice
    create_box 2 box
    create_atoms 1 box
    set type 1 type/fraction 2 0.25 12345
    mass 1 63.546
    mass 2 196.97
    displace_atoms all random 0.1 0.1 0.1 7 units box
    pair_style lj/cut 5.0
    pair_coeff * * 0.4 2.3
    write_data conf.data
    dump d all custom 1 dump.lammpstrj id type x y z fx fy fz
    dump_modify d format float %24.17g
    dump s all custom 1 scaled.lammpstrj type fx fy fz xs ys zs id
    dump_modify s format float %24.17g
    run 0

    """

    @Test(.enabled(if: lmp != nil, "skipped: install lammps (apt-get install lammps)"))
    func readsRealLAMMPSOutput() async throws {
        let lmp = try #require(Self.lmp)
        let dir = try TempDir()
        defer { dir.cleanup() }
        _ = try dir.write(Self.input, to: "in.test")
        let run = try await ExternalTool.run(lmp, ["-in", "in.test", "-log", "none", "-screen", "none"], in: dir.url)
        try #require(run.succeeded, "lmp: \(run.report)")

        let typeMap = ["Cu", "Au"]
        let data = try LAMMPSData.read(dir.file("conf.data"), typeMap: typeMap)
        #expect(data.count == 108)
        // write_data prints no element names: the masses identify them.
        #expect(try LAMMPSData.read(dir.file("conf.data")).species == data.species)
        var reader = try LAMMPSDumpReader(url: dir.file("dump.lammpstrj"), typeMap: typeMap)
        let snap = try #require(try reader.next())
        #expect(snap.timestep == 0)
        #expect(try reader.next() == nil)
        let dump = snap.frame
        #expect(dump.species == data.species)
        // The dump's bounding box converted back to lo/hi/tilt gives the data file's box.
        let cell = try #require(data.cell), dumpCell = try #require(dump.cell)
        #expect(close(cell.matrix, dumpCell.matrix, 1e-12), "\(cell.matrix) vs \(dumpCell.matrix)")
        #expect(close(cell.matrix.rows.1.x, 0.7 * 3.61, 1e-12))
        for i in 0..<data.count { #expect(close(dump.positions[i], data.positions[i], 1e-12)) }
        // Scaled coordinates in another column order give the same frame.
        let scaled = try #require(try LAMMPSDump.read(dir.file("scaled.lammpstrj"), typeMap: typeMap).first)
        for i in 0..<data.count { #expect(close(scaled.positions[i], data.positions[i], 1e-9)) }
        #expect(scaled.forces == dump.forces)

        // Forces as LAMMPS printed them equal lj/cut computed here from the data file.
        let forces = try #require(dump.forces)
        let expected = Self.ljForces(data, epsilon: 0.4, sigma: 2.3, cutoff: 5.0)
        for i in 0..<data.count { #expect(close(forces[i], expected[i], 1e-9), "atom \(i): \(forces[i]) vs \(expected[i])") }
        #expect(norm(forces.reduce(.zero, +)) < 1e-9)
    }

    /// Lennard-Jones forces with all periodic images within the cutoff.
    static func ljForces(_ f: Frame, epsilon: Double, sigma: Double, cutoff: Double) -> [SIMD3<Double>] {
        guard let cell = f.cell else { return [] }
        var out = [SIMD3<Double>](repeating: .zero, count: f.count)
        let r = -2...2
        for i in 0..<f.count {
            for j in 0..<f.count {
                for a in r { for b in r { for c in r {
                    if i == j && a == 0 && b == 0 && c == 0 { continue }
                    let shift = cell.cartesian(fromFractional: SIMD3(Double(a), Double(b), Double(c)))
                    let d = f.positions[i] - f.positions[j] - shift
                    let r2 = dot(d, d)
                    guard r2 < cutoff * cutoff else { continue }
                    let s6 = pow(sigma * sigma / r2, 3)
                    out[i] += 24 * epsilon / r2 * (2 * s6 * s6 - s6) * d
                } } }
            }
        }
        return out
    }
}
