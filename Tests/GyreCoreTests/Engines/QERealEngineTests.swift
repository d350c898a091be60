import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Gyre writes pw.x inputs, real pw.x runs them, Gyre reads the results, and
/// dpdata reads the same files: both must agree to 1e-8 relative.
@Suite(.serialized, .enabled(if: DFTTest.pwx != nil && DFTTest.hasSiPseudo,
                             "skipped: no pw.x or Si pseudopotential (apt-get install quantum-espresso quantum-espresso-data)"))
struct QERealEngineTests {
    /// Runs the adapter's task by hand: prepare, run the command in the directory, read.
    static func label(_ frame: Frame, settings: DFTSettings, in dir: URL) async throws -> (QELabelAdapter, Result<Frame, LabelRejection>) {
        let adapter = try QELabelAdapter(settings: settings, elements: ["Si"], masses: [:])
        try adapter.prepare(frame, in: dir)
        let argv = adapter.command
        // stdout.log in the task directory, where the adapter reads it (as gyre runs it).
        _ = try await ExternalTool.run(argv[0], Array(argv.dropFirst()), in: dir)
        return (adapter, adapter.read(dir))
    }

    @Test(arguments: [true, false])
    func realPwxLabelsAgreeWithDpdata(primitive: Bool) async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frame = DFTTest.silicon(primitive: primitive)
        let (_, result) = try await Self.label(frame, settings: DFTTest.siSettings(), in: dir.url)
        let labelled = try result.get()
        #expect(labelled.positions == frame.positions)
        #expect(labelled.virial != nil)
        // Si₂ ≈ -15.8 Ry/atom·2; any sane energy is around -108 eV per atom.
        let perAtom = try #require(labelled.energy) / Double(frame.count)
        #expect(perAtom > -110 && perAtom < -105, "\(perAtom) eV/atom")
        guard await DFTTest.python.value != nil else { return }
        let want = try await DFTTest.dpdata("qe/pw/scf", [dir.file("pw.in"), dir.file("stdout.log")])
        DFTTest.expectAgrees(labelled, try #require(want.first), primitive ? "Si2" : "Si8")
    }

    @Test func unconvergedRunIsRejected() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let stock = try String(contentsOf: DFTTest.siSettings().template, encoding: .utf8)
        let capped = stock.replacingOccurrences(of: "electron_maxstep = 100", with: "electron_maxstep = 1")
        try #require(capped != stock, "the stock template no longer sets electron_maxstep = 100")
        let template = try dir.write(capped, to: "capped.in")
        let task = dir.file("task")
        try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
        let (adapter, result) = try await Self.label(DFTTest.silicon(primitive: true), settings: DFTTest.siSettings(template: template), in: task)
        let reason = try #require(adapter.rejection(task))
        #expect(reason.hasPrefix("SCF not converged"), "\(reason)")
        #expect((try? result.get()) == nil)
    }
}
