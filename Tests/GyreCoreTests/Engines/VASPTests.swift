import Foundation
import Testing
@testable import GyreCore

/// VASP (not installable here): inputs dpdata accepts, POTCAR by element, and
/// the OUTCAR reader against dpdata on real-world outputs and damaged copies.
@Suite struct VASPTests {
    static func outcar(_ n: Int) -> URL? {
        DFTTest.realOutputs?.appendingPathComponent("vasp/OUTCAR.\(n)")
    }

    @Test func writesGroupedPoscarKpointsAndPotcarByElement() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let pots = dir.file("pots")
        try FileManager.default.createDirectory(at: pots, withIntermediateDirectories: true)
        _ = try dir.write("potcar of O\n", to: "pots/O_POTCAR")
        _ = try dir.write("potcar of Cu\n", to: "pots/Cu_POTCAR")
        let settings = DFTSettings(
            template: DFTTest.repoRoot.appendingPathComponent("Templates/vasp/INCAR"), command: "vasp_std",
            pseudopotentials: ["O": "O_POTCAR", "Cu": "Cu_POTCAR"], pseudoDirectory: pots,
            kspacing: 0.5, charge: 0, multiplicity: 1)
        let adapter = try VASPLabelAdapter(settings: settings, elements: ["Cu", "O"])
        let frame = Frame(species: ["O", "Cu", "O", "Cu"],
                          positions: [SIMD3(0.1, 0, 0), SIMD3(1, 1, 1), SIMD3(2, 0.3, 0), SIMD3(3, 3, 1)],
                          cell: .orthorhombic(4.2, 4.2, 8.4))
        let task = dir.file("task")
        try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
        try adapter.prepare(frame, in: task)
        #expect(try String(contentsOf: task.appendingPathComponent("POTCAR"), encoding: .utf8) == "potcar of Cu\npotcar of O\n")
        #expect(try String(contentsOf: task.appendingPathComponent("KPOINTS"), encoding: .utf8).contains("Gamma\n3 3 2\n"))
        #expect(try String(contentsOf: task.appendingPathComponent("INCAR"), encoding: .utf8).contains("SYSTEM = gyre label (Cu O)"))
        let poscar = try POSCAR.read(task.appendingPathComponent("POSCAR"))
        #expect(poscar.species == ["Cu", "Cu", "O", "O"])
        #expect(poscar.positions == [SIMD3(1, 1, 1), SIMD3(3, 3, 1), SIMD3(0.1, 0, 0), SIMD3(2, 0.3, 0)])
        #expect(adapter.read(task).failureReason == "no OUTCAR")
    }

    @Test(.needsRealOutputs, .needsDpdata,
          arguments: [1, 2])
    func readerAgreesWithDpdata(n: Int) async throws {
        let url = try #require(Self.outcar(n))
        let frame = try VASPOutcar(try String(contentsOf: url, encoding: .utf8)).printedFrame().get()
        DFTTest.expectAgrees(frame, try #require(try await DFTTest.dpdata("vasp/outcar", [url]).first), "OUTCAR.\(n)")
    }

    @Test(.needsRealOutputs,
          arguments: [("truncated", "job killed mid-way"), ("nelm", "SCF not converged: the electronic loop reached NELM = 8"),
                      ("empty", "empty output"), ("nan", "unreadable line")])
    func damagedOutcarIsRejected(damage: String, reason: String) throws {
        let text = try String(contentsOf: try #require(Self.outcar(1)), encoding: .utf8)
        let damaged: String
        switch damage {
        case "truncated": damaged = String(text.prefix(through: try #require(text.range(of: "TOTAL-FORCE")).lowerBound))
        // The run took 9 electronic steps; with NELM = 8 the loop would have stopped unconverged.
        case "nelm": damaged = text.replacingOccurrences(of: "NELM   =     60", with: "NELM   =      8")
        case "empty": damaged = ""
        default: damaged = text.replacingOccurrences(of: "2.30000      2.30000      2.30000        -0.000000", with: "2.30000      2.30000      2.30000        ********")
        }
        #expect(damaged != text || damage == "empty")
        #expect(VASPOutcar(damaged).printedFrame().failureReason?.hasPrefix(reason) == true,
                "\(damage): \(String(describing: VASPOutcar(damaged).printedFrame().failureReason))")
    }
}

extension Result where Failure == LabelRejection {
    var failureReason: String? {
        if case .failure(let r) = self { return r.reason }
        return nil
    }
}

/// Gaussian (not installable here): the log reader against dpdata and on damaged copies.
@Suite struct GaussianLogTests {
    static var log: URL? { DFTTest.realOutputs?.appendingPathComponent("gaussian/output.log") }

    @Test(.needsRealOutputs, .needsDpdata)
    func readerAgreesWithDpdata() async throws {
        let url = try #require(Self.log)
        let frame = try GaussianLog(try String(contentsOf: url, encoding: .utf8)).frame().get()
        DFTTest.expectAgrees(frame, try #require(try await DFTTest.dpdata("gaussian/log", [url]).first), "gaussian")
    }

    @Test(.needsRealOutputs,
          arguments: [("truncated", "job killed mid-way"), ("scf", "SCF not converged"), ("empty", "empty output")])
    func damagedLogIsRejected(damage: String, reason: String) throws {
        let text = try String(contentsOf: try #require(Self.log), encoding: .utf8)
        let damaged = switch damage {
        case "truncated": String(text.prefix(text.count - 200))
        case "scf": text.replacingOccurrences(of: " SCF Done", with: " Convergence failure -- run terminated.\n SCF Done")
        default: ""
        }
        #expect(GaussianLog(damaged).frame().failureReason?.hasPrefix(reason) == true,
                "\(damage): \(String(describing: GaussianLog(damaged).frame().failureReason))")
    }
}

/// ABACUS (not installable here): STRU + running_scf.log against dpdata, and the failed run rejected.
@Suite struct ABACUSLogTests {
    static func read(_ run: String) throws -> Result<Frame, LabelRejection> {
        let dir = try #require(DFTTest.realOutputs).appendingPathComponent("abacus/\(run)")
        let stru = try ABACUSStructure.read(try String(contentsOf: dir.appendingPathComponent("STRU"), encoding: .utf8)).get()
        let log = try String(contentsOf: dir.appendingPathComponent("OUT.ABACUS/running_scf.log"), encoding: .utf8)
        return ABACUSLog(log).frame(stru)
    }

    @Test(.needsRealOutputs, .needsDpdata)
    func readerAgreesWithDpdata() async throws {
        let frame = try Self.read("good").get()
        let dir = try #require(DFTTest.realOutputs).appendingPathComponent("abacus/good")
        DFTTest.expectAgrees(frame, try #require(try await DFTTest.dpdata("abacus/scf", [dir]).first), "abacus/good")
    }

    @Test(.needsRealOutputs)
    func failedRunIsRejectedWithTheReason() throws {
        let reason = try Self.read("failed").failureReason
        #expect(reason == "ABACUS stopped: The structure is unreasonable!", "\(String(describing: reason))")
    }
}
