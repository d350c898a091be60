import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Gyre's writers read by ASE and dpdata, and their writers read by Gyre, through
/// Tests/Scripts/crosscheck_formats.py. Needs a Python with ase and dpdata:
/// $GYRE_PYTHON, else the repository's .venv/bin/python.
@Suite struct FormatsCrossCheckTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A Python that imports ase and dpdata, or nil; looked for once, without blocking.
    static let python = Task { await ExternalTool.python(importing: "ase, dpdata, numpy") }

    @Test(.needsAseAndDpdata)
    func aseAndDpdataAgreeBothWays() async throws {
        let python = try #require(await Self.python.value)
        let dir = try TempDir()
        defer { dir.cleanup() }
        let typeMap = ["Cu", "Au"]
        // Gyre writes; the expected values are what Gyre reads back from its own files.
        let xyzFrames = [Sample.frame(seed: 21, atoms: 6), Sample.frame(seed: 22, atoms: 6)]
        try ExtXYZ.write(xyzFrames, to: dir.file("gyre.extxyz"))
        try POSCAR.write(Sample.frame(seed: 23, atoms: 6, labelled: false), to: dir.file("POSCAR"), elementOrder: typeMap)
        try LAMMPSData.write(Sample.frame(seed: 24, atoms: 6, labelled: false), to: dir.file("gyre.data"), typeMap: typeMap)
        try DeepmdNpy.write((25...28).map { Sample.frame(seed: UInt64($0), atoms: 6) }, to: dir.file("gyre_npy"),
                            typeMap: typeMap, setSize: 3)
        let expected = """
        {"type_map": ["Cu", "Au"],
         "extxyz": \(json(try ExtXYZ.read(dir.file("gyre.extxyz")))),
         "poscar": \(json([try POSCAR.read(dir.file("POSCAR"))])),
         "lammps_data": \(json([try LAMMPSData.read(dir.file("gyre.data"), typeMap: typeMap)])),
         "deepmd": \(json(try DeepmdNpy.read(dir.file("gyre_npy"))))}
        """
        try expected.write(to: dir.file("gyre_expected.json"), atomically: true, encoding: .utf8)

        let script = Self.repoRoot.appendingPathComponent("Tests/Scripts/crosscheck_formats.py").path
        let check = try await ExternalTool.run(python, [script, dir.url.path])
        #expect(check.succeeded, "crosscheck_formats.py: \(check.report)")

        // Python wrote; Gyre reads.
        let py = dir.file("python")
        let wantData = try Data(contentsOf: py.appendingPathComponent("python_expected.json"))
        let want = try #require(try JSONSerialization.jsonObject(with: wantData) as? [String: Any])
        try compare(try ExtXYZ.read(py.appendingPathComponent("ase.extxyz")), want["extxyz"], "ASE extxyz")
        try compare([try POSCAR.read(py.appendingPathComponent("POSCAR"))], want["poscar"], "ASE POSCAR")
        try compare([try LAMMPSData.read(py.appendingPathComponent("ase.data"), typeMap: typeMap)], want["lammps_data"], "ASE lammps-data")
        try compare([try LAMMPSData.read(py.appendingPathComponent("ase.data"))], want["lammps_data"], "ASE lammps-data, names from Masses")
        // dpdata prints LAMMPS data with %15.10f: compare at its precision.
        try compare([try LAMMPSData.read(py.appendingPathComponent("dpdata.lmp"), typeMap: typeMap)], want["dpdata_lmp"],
                    "dpdata lammps/lmp", tolerance: 1e-9)
        try compare(try DeepmdNpy.read(py.appendingPathComponent("dpdata_npy")), want["deepmd"], "dpdata deepmd/npy")
    }

    private func compare(_ got: [Frame], _ wantAny: Any?, _ what: String, tolerance: Double = 1e-10) throws {
        let want = try #require(wantAny as? [[String: Any]], "\(what): no expected frames")
        #expect(got.count == want.count, "\(what): \(got.count) frames, expected \(want.count)")
        func numbers(_ x: Any?) -> [Double]? {
            if let a = x as? [Double] { return a }
            if let a = x as? [[Double]] { return a.flatMap { $0 } }
            if let a = x as? [NSNumber] { return a.map(\.doubleValue) }
            if let a = x as? [[NSNumber]] { return a.flatMap { $0.map(\.doubleValue) } }
            return nil
        }
        func agree(_ a: [Double], _ b: [Double]?, _ field: String, _ k: Int) {
            guard let b, a.count == b.count else {
                Issue.record("\(what) frame \(k) \(field): \(a.count) numbers vs \(b?.count ?? 0)")
                return
            }
            for (x, y) in zip(a, b) where !close(x, y, tolerance) {
                Issue.record("\(what) frame \(k) \(field): \(x) != \(y)")
                return
            }
        }
        for (k, (g, w)) in zip(got, want).enumerated() {
            #expect(g.species == (w["species"] as? [String]) ?? [], "\(what) frame \(k) species")
            agree(g.positions.flatMap { [$0.x, $0.y, $0.z] }, numbers(w["positions"]), "positions", k)
            agree(g.cell?.matrix.rowMajor ?? [], numbers(w["cell"]), "cell", k)
            if let e = (w["energy"] as? NSNumber)?.doubleValue { agree([g.energy ?? .nan], [e], "energy", k) }
            if let f = numbers(w["forces"]) { agree(g.forces?.flatMap { [$0.x, $0.y, $0.z] } ?? [], f, "forces", k) }
            if let v = numbers(w["virial"]) { agree(g.virial?.rowMajor ?? [], v, "virial", k) }
        }
    }

    /// Frames as JSON text, numbers in Swift's shortest exact form.
    private func json(_ frames: [Frame]) -> String {
        func list(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }
        func vectors(_ v: [SIMD3<Double>]) -> String { "[" + v.map { list([$0.x, $0.y, $0.z]) }.joined(separator: ", ") + "]" }
        return "[" + frames.map { f in
            """
            {"species": [\(f.species.map { "\"\($0)\"" }.joined(separator: ", "))],
             "positions": \(vectors(f.positions)),
             "cell": \(f.cell.map { list($0.matrix.rowMajor) } ?? "null"),
             "energy": \(f.energy.map { "\($0)" } ?? "null"),
             "forces": \(f.forces.map(vectors) ?? "null"),
             "virial": \(f.virial.map { list($0.rowMajor) } ?? "null")}
            """
        }.joined(separator: ",\n") + "]"
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where a Python with ase, dpdata and numpy was found.
    static var needsAseAndDpdata: Self {
        .enabled("skipped: no Python with ase and dpdata (set GYRE_PYTHON or create .venv with ase, dpdata, numpy)") {
            await FormatsCrossCheckTests.python.value != nil
        }
    }
}
