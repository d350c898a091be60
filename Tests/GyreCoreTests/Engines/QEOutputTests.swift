import Foundation
import Testing
@testable import GyreCore

/// The pw.x output reader's verdicts, on outputs of real pw.x runs (Si₂,
/// made on this machine) and on damaged copies of them.
@Suite struct QEOutputTests {
    static func text(_ name: String) throws -> String {
        try String(contentsOf: try DFTTest.fixture("qe/\(name)"), encoding: .utf8)
    }

    @Test func convergedOutputGivesLabelsInEVUnits() throws {
        let frame = try QELabelAdapter.frame(input: try Self.text("si2.in"), output: try Self.text("si2.out")).get()
        // Printed: -15.72460834 Ry; force 0.02221559 Ry/au; stress xx 29.01 kbar.
        #expect(abs(try #require(frame.energy) - -15.72460834 * Units.rydberg) < 1e-9)
        #expect(abs(try #require(frame.forces?.first?.x) - 0.02221559 * Units.rydberg / Units.bohr) < 1e-12)
        let volume = try #require(frame.cell?.volume)
        // W = σ_QE·V: pw.x's positive (compressive) pressure gives a positive virial.
        #expect(abs(try #require(frame.virial?.rows.0.x) - 29.01 / 1602.176634 * volume) < 1e-12)
    }

    @Test func unconvergedRealRunIsRejected() throws {
        let result = QELabelAdapter.frame(input: try Self.text("si2.in"), output: try Self.text("si2-maxstep1.out"))
        #expect(Self.reason(result)?.hasPrefix("SCF not converged") == true, "\(result)")
    }

    @Test(arguments: [
        ("truncated", "job killed mid-way"),
        ("empty", "empty output"),
        ("nan", "non-finite forces"),
        ("stars", "unreadable line"),
        ("no-convergence-line", "SCF not converged"),
        ("error", "pw.x stopped: Error in routine readpp (1): file Si.UPF not found"),
    ])
    func damagedOutputIsRejectedWithTheReason(damage: String, reason: String) throws {
        let good = try Self.text("si2.out")
        let output: String
        switch damage {
        case "truncated": output = String(good.prefix(through: try #require(good.range(of: "Forces acting")).lowerBound))
        case "empty": output = "\n  \n"
        case "nan": output = good.replacingOccurrences(of: "0.02221559", with: "NaN")
        case "stars": output = good.replacingOccurrences(of: "0.02221559", with: "**********")
        case "no-convergence-line": output = good.replacingOccurrences(of: "convergence has been achieved", with: "")
        default:
            output = String(good.prefix(2000)) + "\n %%%%%%%%%%\n     Error in routine readpp (1):\n     file Si.UPF not found\n %%%%%%%%%%\n"
        }
        let result = QELabelAdapter.frame(input: try Self.text("si2.in"), output: output)
        #expect(Self.reason(result)?.hasPrefix(reason) == true, "\(damage): \(String(describing: Self.reason(result)))")
    }

    @Test(.needsDpdata)
    func agreesWithDpdataOnTheFixture() async throws {
        let input = try DFTTest.fixture("qe/si2.in"), output = try DFTTest.fixture("qe/si2.out")
        let frame = try QELabelAdapter.frame(input: String(contentsOf: input, encoding: .utf8),
                                             output: String(contentsOf: output, encoding: .utf8)).get()
        let want = try await DFTTest.dpdata("qe/pw/scf", [input, output])
        DFTTest.expectAgrees(frame, try #require(want.first), "si2.out")
    }

    @Test(.needsRealOutputs, .needsDpdata)
    func agreesWithDpdataOnRealWorldOutputs() async throws {
        let dir = try #require(DFTTest.realOutputs).appendingPathComponent("qe")
        // pw.2.out has no input of its own; it is the same 176-atom system as pw.1.in.
        for name in ["pw.1.out", "pw.2.out"] {
            let input = dir.appendingPathComponent("pw.1.in"), output = dir.appendingPathComponent(name)
            let frame = try QELabelAdapter.frame(input: String(contentsOf: input, encoding: .utf8),
                                                 output: String(contentsOf: output, encoding: .utf8)).get()
            let want = try await DFTTest.dpdata("qe/pw/scf", [input, output])
            DFTTest.expectAgrees(frame, try #require(want.first), name)
        }
    }

    static func reason(_ result: Result<Frame, LabelRejection>) -> String? {
        if case .failure(let r) = result { return r.reason }
        return nil
    }
}
