import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// CP2K: inputs from the template, real cp2k runs on a water molecule and a
/// Si cell, the reader against dpdata, and unconverged runs rejected.
@Suite(.serialized) struct CP2KTests {
    static let cp2k = DFTTest.which("cp2k")

    /// The repository's template with a lower cutoff, so a test run takes seconds.
    static func settings(in dir: TempDir, maxSCF: Int = 30) throws -> DFTSettings {
        let stock = try String(contentsOf: DFTTest.repoRoot.appendingPathComponent("Templates/cp2k/input.inp"), encoding: .utf8)
        let quick = stock.replacingOccurrences(of: "CUTOFF 300", with: "CUTOFF 200")
            .replacingOccurrences(of: "MAX_SCF 30", with: "MAX_SCF \(maxSCF)")
            .replacingOccurrences(of: "MAX_SCF 10", with: "MAX_SCF \(maxSCF == 1 ? 1 : 10)")
        try #require(quick.contains("MAX_SCF \(maxSCF)") && quick.contains("CUTOFF 200"))
        return DFTSettings(template: try dir.write(quick, to: "template.inp"), command: "cp2k -i input.inp",
                           pseudopotentials: [:], pseudoDirectory: nil, kspacing: nil, charge: 0, multiplicity: 1)
    }

    static let water = Frame(species: ["O", "H", "H"],
                             positions: [SIMD3(0, 0, 0.1), SIMD3(0.76, 0, -0.5), SIMD3(-0.74, 0.05, -0.48)], cell: nil)

    static func siliconCell() -> Frame {
        DFTTest.silicon(primitive: false)
    }

    @Test func writesCellCoordinatesAndKindsByElement() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = try CP2KInputWriter(settings: try Self.settings(in: dir), elements: ["H", "O"])
        let molecule = try writer.input(for: Self.water)
        #expect(molecule.contains("PERIODIC NONE"))
        #expect(molecule.contains("&CENTER_COORDINATES"))
        #expect(!molecule.contains("STRESS_TENSOR"))
        #expect(molecule.contains("&KIND H\n") && molecule.contains("&KIND O\n"))
        #expect(molecule.range(of: "&KIND H")?.lowerBound ?? molecule.endIndex < molecule.range(of: "&KIND O")?.lowerBound ?? molecule.startIndex)
        let bulk = try writer.input(for: Self.siliconCell())
        #expect(bulk.contains("PERIODIC XYZ") && bulk.contains("STRESS_TENSOR ANALYTICAL") && !bulk.contains("PSOLVER"))
    }

    @Test(.needsRealOutputs, .needsDpdata)
    func readerAgreesWithDpdataOnTheRealWorldOutput() async throws {
        let url = try #require(DFTTest.realOutputs).appendingPathComponent("cp2k/output")
        let frame = try CP2KOutput(try String(contentsOf: url, encoding: .utf8)).printedFrame().get()
        DFTTest.expectAgrees(frame, try #require(try await DFTTest.dpdata("cp2k/output", [url]).first), "cp2k/output")
    }

    /// Outputs of real CP2K 2023.1 runs made on this machine (the adapter's inputs, cutoff 200 Ry).
    @Test(.needsDpdata, arguments: ["si8.out", "water.out"])
    func readerAgreesWithDpdataOnCp2k2023Outputs(name: String) async throws {
        let url = try DFTTest.fixture("cp2k/\(name)")
        let frame = try CP2KOutput(try String(contentsOf: url, encoding: .utf8)).printedFrame().get()
        #expect((frame.virial != nil) == (name == "si8.out"))
        DFTTest.expectAgrees(frame, try #require(try await DFTTest.dpdata("cp2k/output", [url]).first), name)
    }

    @Test(.enabled(if: cp2k != nil, "skipped: no cp2k (apt-get install cp2k cp2k-data)"),
          arguments: ["water", "Si8"])
    func realCp2kLabelsAgreeWithDpdata(system: String) async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frame = system == "water" ? Self.water : Self.siliconCell()
        let adapter = try CP2KLabelAdapter(settings: try Self.settings(in: dir), elements: ["H", "O", "Si"])
        let task = try await Self.run(adapter, frame, in: dir)
        let labelled = try adapter.read(task).get()
        #expect(labelled.positions == frame.positions)
        #expect((labelled.virial != nil) == (system == "Si8"))
        guard await DFTTest.python.value != nil else { return }
        let output = task.appendingPathComponent("stdout.log")
        let want = try #require(try await DFTTest.dpdata("cp2k/output", [output]).first)
        // Exactly what dpdata reads, given the same (printed) structure.
        let printed = try CP2KOutput(try String(contentsOf: output, encoding: .utf8)).printedFrame().get()
        DFTTest.expectAgrees(printed, want, system)
        // The adapter's frame: same energy and forces; its virial uses the exact
        // volume, not the 3-decimal printed cell, so it differs from dpdata's by that rounding.
        var exact = want
        exact["coords"] = frame.positions.map { [$0.x, $0.y, $0.z] }
        exact.removeValue(forKey: "cell")
        exact.removeValue(forKey: "virial")
        var compared = labelled
        compared.cell = nil
        compared.virial = nil
        DFTTest.expectAgrees(compared, exact, system + " (adapter)")
        if let v = labelled.virial, let w = printed.virial, let cell = labelled.cell, let printedCell = printed.cell {
            let rescaled = (abs(printedCell.volume) / abs(cell.volume)) * v
            #expect(zip(rescaled.rowMajor, w.rowMajor).allSatisfy { abs($0 - $1) <= 1e-8 * max(1, abs($1)) })
        }
    }

    @Test(.enabled(if: cp2k != nil, "skipped: no cp2k (apt-get install cp2k cp2k-data)"))
    func unconvergedRunIsRejected() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let adapter = try CP2KLabelAdapter(settings: try Self.settings(in: dir, maxSCF: 1), elements: ["H", "O"])
        let task = try await Self.run(adapter, Self.water, in: dir)
        let reason = try #require(adapter.rejection(task))
        #expect(reason.hasPrefix("SCF not converged"), "\(reason)")
    }

    @Test(arguments: [("truncated", "job killed mid-way"), ("empty", "empty output")])
    func damagedOutputIsRejected(damage: String, reason: String) throws {
        guard let url = DFTTest.realOutputs?.appendingPathComponent("cp2k/output") else { return }
        let text = try String(contentsOf: url, encoding: .utf8)
        let damaged = damage == "empty" ? "" : String(text.prefix(through: try #require(text.range(of: "ATOMIC FORCES")).lowerBound))
        if case .failure(let r) = CP2KOutput(damaged).printedFrame() {
            #expect(r.reason.hasPrefix(reason), "\(r.reason)")
        } else {
            Issue.record("\(damage) output was accepted")
        }
    }

    /// Prepares and runs one task by hand, one OpenMP thread (the machine is shared).
    static func run(_ adapter: CP2KLabelAdapter, _ frame: Frame, in dir: TempDir) async throws -> URL {
        let task = dir.file("task")
        try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
        try adapter.prepare(frame, in: task)
        let argv = adapter.command
        // One OpenMP thread: the machine is shared.
        _ = try await ExternalTool.run(argv[0], Array(argv.dropFirst()), in: task, environment: ["OMP_NUM_THREADS": "1"])
        return task
    }
}
