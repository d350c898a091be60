import Foundation
import GyreTestSupport
import GyreCore
import Testing

@testable import GyreBuiltin

/// Gyre's Stillinger–Weber against real LAMMPS `pair_style sw` with Debian's Si.sw
/// (input: Tests/Scripts/builtin_sw_reference.lmp).
struct PotentialsSWReferenceTests {
    /// LAMMPS metal units: pressure (bar) = virial (eV) / volume (Å³) × nktv2p.
    static let nktv2p = 1.6021765e6

    static var configurations: [Frame] {
        let base = PotentialsFixtures.lattice("diamond", element: "Si", a: 5.431, repeat: 2, rattle: 0.1, seed: 21)
        let hot = PotentialsFixtures.lattice("diamond", element: "Si", a: 5.5, repeat: 2, rattle: 0.3, seed: 22)
        // LAMMPS triclinic cells are lower triangular: a along x, b in the xy plane.
        let sheared = PotentialsFixtures.strained(
            PotentialsFixtures.lattice("diamond", element: "Si", a: 5.431, repeat: 2, rattle: 0.08, seed: 23),
            by: Matrix3(SIMD3(0.01, 0, 0), SIMD3(0.06, -0.02, 0), SIMD3(-0.04, 0.05, 0.03)))
        return [base, hot, sheared].map(wrapped)
    }

    /// Positions inside the home cell, as read_data expects them.
    static func wrapped(_ frame: Frame) -> Frame {
        guard let cell = frame.cell else { return frame }
        var out = frame
        out.positions = frame.positions.map { r in
            guard let f = cell.fractional(fromCartesian: r) else { return r }
            return cell.cartesian(fromFractional: f - f.rounded(.down))
        }
        return out
    }

    @Test(.enabled(if: PotentialsFixtures.lammps != nil, "skipped: LAMMPS not found; apt-get install lammps"))
    func matchesLAMMPS() async throws {
        let lmp = try #require(PotentialsFixtures.lammps)
        let template = PotentialsFixtures.packageRoot.appendingPathComponent("Tests/Scripts/builtin_sw_reference.lmp")
        let sw = StillingerWeber()
        for (n, frame) in Self.configurations.enumerated() {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-sw-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try Self.dataFile(frame).write(to: dir.appendingPathComponent("data.lmp"), atomically: true, encoding: .utf8)
            let output = try await ExternalTool.run(lmp.path, ["-in", template.path, "-log", "log.lammps", "-screen", "none"], in: dir)
            try #require(output.succeeded, "lmp \(output.outcome) for configuration \(n)")
            let thermo = try Self.thermo(String(contentsOf: dir.appendingPathComponent("log.lammps"), encoding: .utf8))
            let forces = try Self.forces(String(contentsOf: dir.appendingPathComponent("forces.dump"), encoding: .utf8))

            let result = try sw.evaluate(frame)
            #expect(abs(result.energy - thermo[1]) < 1e-6, "config \(n): energy \(result.energy) vs LAMMPS \(thermo[1])")
            let df = PotentialsFixtures.maxAbs(result.forces, forces)
            #expect(df < 1e-6, "config \(n): forces differ by \(df)")
            let volume = thermo[8]
            let w = thermo[2...7].map { $0 * volume / Self.nktv2p }  // xx yy zz xy xz yz
            let lammpsVirial = Matrix3(SIMD3(w[0], w[3], w[4]), SIMD3(w[3], w[1], w[5]), SIMD3(w[4], w[5], w[2]))
            let dw = PotentialsFixtures.maxAbs(result.virial, lammpsVirial)
            #expect(dw < 1e-6, "config \(n): virial differs by \(dw)")
        }
    }

    static func dataFile(_ frame: Frame) -> String {
        let m = frame.cell?.matrix ?? .identity
        var s = "LAMMPS data file written by Gyre's SW test\n\n\(frame.count) atoms\n1 atom types\n\n"
        s += "0 \(m[0].x) xlo xhi\n0 \(m[1].y) ylo yhi\n0 \(m[2].z) zlo zhi\n\(m[1].x) \(m[2].x) \(m[2].y) xy xz yz\n\n"
        s += "Masses\n\n1 28.085\n\nAtoms # atomic\n\n"
        for (i, r) in frame.positions.enumerated() { s += "\(i + 1) 1 \(r.x) \(r.y) \(r.z)\n" }
        return s
    }

    /// The thermo row after the `Step PotEng …` header: step, pe, 6 virial pressures, volume.
    static func thermo(_ log: String) throws -> [Double] {
        let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let header = try #require(lines.firstIndex { $0.hasPrefix("Step") })
        let values = lines[header + 1].split(separator: " ").compactMap { Double($0) }
        try #require(values.count == 9, "unexpected thermo row: \(lines[header + 1])")
        return values
    }

    static func forces(_ dump: String) throws -> [SIMD3<Double>] {
        let lines = dump.split(separator: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("ITEM: ATOMS") })
        return lines[(start + 1)...].compactMap { line in
            let v = line.split(separator: " ").compactMap { Double($0) }
            return v.count == 4 ? SIMD3(v[1], v[2], v[3]) : nil
        }
    }
}
