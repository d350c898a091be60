import Foundation
import Testing
@testable import GyreCore

/// The LAMMPS exploration adapter without LAMMPS: the input it writes from
/// the stock template, the stage variable grid, the run check on logs, and
/// selection reading picked frames from a dump.
struct LAMMPSExploreTests {
    static var stockTemplate: URL {
        WorkflowFixtures.repositoryRoot.appendingPathComponent("Templates/lammps/in.lammps")
    }

    static func stage(_ ensemble: Stage.Ensemble = .nvt, variables: [StageVariable] = []) -> Stage {
        Stage(name: "warm", systems: ["bulk", "slab"], ensemble: ensemble, temperatures: [300, 600],
              pressures: ensemble == .npt ? [1, 1000] : [], steps: 200, timestep: 0.001, sampleEvery: 20,
              maxIterations: 3, convergedWhen: Convergence(accurate: 0.9, loStable: nil), trust: nil, variables: variables)
    }

    static func writer(template: URL = stockTemplate, relative: Double? = nil, relativeVirial: Double? = nil) throws -> LAMMPSInputWriter {
        try LAMMPSInputWriter(
            settings: LAMMPSExploration(template: template, command: "lmp -i in.lammps", relative: relative, relativeVirial: relativeVirial),
            elements: ["Si", "O"], masses: ["O": 16.5])
    }

    static let siO = Frame(
        species: ["Si", "O", "Si"], positions: [SIMD3(0, 0, 0), SIMD3(1.6, 0, 0), SIMD3(0, 2.5, 1)],
        cell: .orthorhombic(5, 6, 7))

    // MARK: input

    @Test(arguments: [
        (Stage.Ensemble.nve, "fix             integrate all nve\n"),
        (.nvt, "fix             integrate all nvt temp 600 600 0.1\n"),
        (.npt, "fix             integrate all npt temp 600 600 0.1 iso 1000 1000 0.5\n"),
    ])
    func stockTemplateRendersTheTask(ensemble: Stage.Ensemble, fix: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let stage = Self.stage(ensemble)
        let condition = ExplorationCondition(system: "bulk", temperature: 600, pressure: ensemble == .npt ? 1000 : nil)
        try Self.writer(relative: 1.0).prepare(
            start: Self.siO, stage: stage, condition: condition, models: ["../../train/m0.pb", "../../train/m1.pb"],
            seed: 41, in: dir.url)
        let input = try String(contentsOf: dir.file("in.lammps"), encoding: .utf8)
        #expect(input.contains(fix), "\(input)")
        #expect(input.contains("read_data       conf.lmp\n"))
        #expect(input.contains("mass            1 28.085\nmass            2 16.5\n"), "workflow masses override the table")
        #expect(input.contains(
            "pair_style      deepmd ../../train/m0.pb ../../train/m1.pb out_freq 20 out_file model_devi.out relative 1\n"))
        #expect(input.contains("pair_coeff      * * Si O\n"))
        #expect(input.contains("velocity        all create 600 42 dist gaussian\n"), "LAMMPS seeds are positive")
        #expect(input.contains("timestep        0.001\n") && input.contains("run             200\n"))
        #expect(input.contains("dump            traj all custom 20 traj.dump id type x y z fx fy fz\n"))
        #expect(!input.contains("{{") && !input.contains("LAMMPS exploration input"), "tags and the comment are gone")
        let data = try LAMMPSData.read(dir.file("conf.lmp"), typeMap: ["Si", "O"])
        #expect(data.species == Self.siO.species)
        #expect(data.positions == Self.siO.positions)
    }

    @Test func relativeVirialKeywordIsWrittenOnlyWhenSet() throws {
        let stage = Self.stage()
        let condition = ExplorationCondition(system: "bulk", temperature: 300, pressure: nil)
        let plain = try Self.writer().values(stage: stage, condition: condition, models: ["a.pb"], seed: 0)
        #expect(plain["deviation_keywords"] as? String == "out_freq 20 out_file model_devi.out")
        #expect(plain["pressure"] == nil)
        let both = try Self.writer(relative: 0.5, relativeVirial: 2).values(stage: stage, condition: condition, models: ["a.pb"], seed: 0)
        #expect(both["deviation_keywords"] as? String == "out_freq 20 out_file model_devi.out relative 0.5 relative_v 2")
    }

    @Test func stageVariablesReachTheTemplate() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write("fix bias all plumed height {{bias}} width {{width}}\n", to: "in.tmpl")
        let condition = ExplorationCondition(
            system: "bulk", temperature: 300, pressure: nil,
            variables: [VariableSetting(name: "bias", value: 0.5), VariableSetting(name: "width", value: 2)])
        try Self.writer(template: template).prepare(
            start: Self.siO, stage: Self.stage(), condition: condition, models: ["a.pb", "b.pb"], seed: 0, in: dir.url)
        #expect(try String(contentsOf: dir.file("in.lammps"), encoding: .utf8) == "fix bias all plumed height 0.5 width 2\n")
    }

    @Test func brokenTemplateIsLocated() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write("units metal\n{{#masses}}\nmass {{type}}\n", to: "in.tmpl")
        let error = try #require(throws: GyreError.self) { try Self.writer(template: template) }
        #expect(error.location?.file == template.path)
        #expect(error.location?.line == 4, "the unclosed section is noticed at the end: \(error)")
    }

    @Test func startingStructureWithAnElementOutsideElementsIsRefused() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frame = Frame(species: ["Cu"], positions: [.zero], cell: .orthorhombic(3, 3, 3))
        #expect(throws: GyreError.self) {
            try Self.writer().prepare(
                start: frame, stage: Self.stage(), condition: ExplorationCondition(system: "bulk", temperature: 300, pressure: nil),
                models: ["a.pb"], seed: 0, in: dir.url)
        }
    }

    // MARK: placeholders and the grid

    @Test func placeholderScanFindsTagsWithTheirPlaces() {
        let text = "{{! a comment\n spanning {{lines}} }}\nx {{temperature}} {{{models}}}\n{{#masses}}{{type}} {{a.b}}{{/masses}} {{.}}\n{{=<% %>=}}\n{{after}}"
        let found = TemplatePlaceholders.scan(text).map { "\($0.name)@\($0.line):\($0.column)" }
        #expect(found == ["temperature@3:3", "models@3:19", "masses@4:1", "type@4:12", "a@4:21"])
    }

    @Test func conditionsSweepTheVariableGridLastVariableFastest() {
        let stage = Self.stage(variables: [StageVariable(name: "bias", values: [0.5, 1]), StageVariable(name: "width", values: [2, 3])])
        let conditions = stage.conditions
        #expect(conditions.count == 2 * 2 * 2 * 2)
        let first = conditions.prefix(5).map { c in "\(c.system) \(Int(c.temperature)) " + c.variables.map { "\($0.name)=\($0.value)" }.joined(separator: ",") }
        #expect(first == [
            "bulk 300 bias=0.5,width=2.0", "bulk 300 bias=0.5,width=3.0", "bulk 300 bias=1.0,width=2.0",
            "bulk 300 bias=1.0,width=3.0", "bulk 600 bias=0.5,width=2.0",
        ])
        #expect(Self.stage().conditions.count == 4 && Self.stage().conditions.allSatisfy { $0.variables.isEmpty })
    }

    // MARK: run check

    /// A task directory with this log, `rows` model deviations every 20 steps, and a dump of 11 snapshots every `dumpEvery` steps.
    static func taskDirectory(log: String?, rows: Int?, dumpEvery: Int?) throws -> TempDir {
        let dir = try TempDir()
        if let log { _ = try dir.write(log, to: "log.lammps") }
        if let rows {
            try SelectionFixtures.writeModelDevi((0..<rows).map { (step: $0 * 20, v: 0.01, f: 0.1) }, to: dir.file("model_devi.out"))
        }
        if let dumpEvery { _ = try dir.write(dump(Array(repeating: siO, count: 11), typeMap: ["Si", "O"], every: dumpEvery), to: "traj.dump") }
        return dir
    }

    static let finishedLog = "LAMMPS (22 Jul 2025)\nrun 200\nLoop time of 1.2 on 1 procs\nTotal wall time: 0:00:02\n"

    @Test(arguments: [
        (finishedLog, 11, 20, nil),
        (nil, 11, 20, "no log.lammps was written"),
        ("units metal\nERROR: Lost atoms: original 8 current 3\nFor more information see https://docs.lammps.org/err0008 (src/thermo.cpp:526)\n",
         11, 20, "ERROR: Lost atoms: original 8 current 3; For more information see"),
        ("WARNING: Lost atoms: original 8 current 7\n" + finishedLog, 11, 20, "WARNING: Lost atoms: original 8 current 7"),
        ("LAMMPS\n  Step Temp\n  0 300\n  20 310\n", 11, 20, "log.lammps stops before the end of the run: Step Temp | 0 300 | 20 310"),
        (finishedLog, nil, 20, "no model_devi.out was written"),
        (finishedLog, 7, 20, "model_devi.out has 7 rows, expected 11"),
        (finishedLog, 11, nil, "no traj.dump was written"),
        (finishedLog, 11, 10, "traj.dump holds steps [0, 10, 20, … (11)] but model_devi.out [0, 20, 40, … (11)]: dump every sample_every"),
    ] as [(String?, Int?, Int?, String?)])
    func runCheckJudgesTheTaskFiles(log: String?, rows: Int?, dumpEvery: Int?, reason: String?) throws {
        let dir = try Self.taskDirectory(log: log, rows: rows, dumpEvery: dumpEvery)
        defer { dir.cleanup() }
        let got = LAMMPSRunCheck.rejection(dir.url, expectedRows: LAMMPSInputWriter.expectedRows(Self.stage()))
        if let reason {
            #expect(got?.hasPrefix(reason) == true, "\(got ?? "accepted")")
        } else {
            #expect(got == nil)
        }
    }

    @Test func failedRunIsExplainedByTheLogNotStderr() throws {
        let dir = try Self.taskDirectory(
            log: "units metal\nbogus 1\nERROR: Unknown command: bogus 1 (src/input.cpp:314)\nLast input line: bogus 1\n", rows: nil, dumpEvery: nil)
        defer { dir.cleanup() }
        #expect(LAMMPSRunCheck.failureDetail(dir.url) == "ERROR: Unknown command: bogus 1 (src/input.cpp:314); Last input line: bogus 1")
        let quiet = try Self.taskDirectory(log: "a\nb\nc\nd\n", rows: nil, dumpEvery: nil)
        defer { quiet.cleanup() }
        #expect(LAMMPSRunCheck.failureDetail(quiet.url) == "b | c | d")
        #expect(LAMMPSRunCheck.failureDetail(quiet.file("nowhere")) == nil)
    }

    @Test func stepRunnerRecordsTheLogsReasonForAFailedTask() async throws {
        let root = try TempDir()
        defer { root.cleanup() }
        let journal = try Journal.open(workdir: root.url)
        try journal.recordRun(workflowYAML: "name: r\n", fingerprint: "f")
        let iteration = try journal.beginIteration(index: 0, stageName: "s", stageIndex: 0)
        let step = try journal.beginStep(iteration: iteration.id, kind: .explore)
        // What LAMMPS does on lost atoms: the error in log.lammps, noise on stderr, status 1.
        let script = "printf 'run 200\\nERROR: Lost atoms: original 8 current 3\\n' > log.lammps; echo 'oneDNN noise' >&2; exit 1"
        let tasks = try journal.addTasks(step: step.id, [TaskPlan(index: 0, name: "task.000", directory: "task.000",
                                                                  command: ["/bin/sh", "-c", script])])
        try FileManager.default.createDirectory(at: root.file("task.000"), withIntermediateDirectories: true)
        let runner = StepRunner(
            journal: journal, layout: WorkdirLayout(root: root.url), executor: LocalExecutor(slots: 1), retries: 0, timeout: nil,
            accept: { LAMMPSRunCheck.rejection($0, expectedRows: 11) }, progress: ProgressLog(level: .quiet), label: "test",
            explainFailure: LAMMPSRunCheck.failureDetail)
        let done = try await runner.run(tasks)
        #expect(done.first?.state == .failed)
        #expect(done.first?.failureReason == "exited with status 1: ERROR: Lost atoms: original 8 current 3")
    }

    // MARK: selection from the dump

    /// A dump as LAMMPS writes it (atoms shuffled, so reading must sort by id).
    static func dump(_ frames: [Frame], typeMap: [String], every: Int) -> String {
        var s = ""
        for (k, f) in frames.enumerated() {
            let box = f.cell?.matrix ?? Matrix3.identity
            s += "ITEM: TIMESTEP\n\(k * every)\nITEM: NUMBER OF ATOMS\n\(f.count)\nITEM: BOX BOUNDS pp pp pp\n"
            for d in 0..<3 { s += "0 \(box[d][d])\n" }
            s += "ITEM: ATOMS id type x y z fx fy fz\n"
            for i in (0..<f.count).reversed() {
                let p = f.positions[i]
                let type = (typeMap.firstIndex(of: f.species[i]) ?? 0) + 1
                s += "\(i + 1) \(type) \(p.x) \(p.y) \(p.z) 0.1 0.2 0.3\n"
            }
        }
        return s
    }

    @Test func selectionPicksFramesFromTheDumpWithSpecies() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let frames = (0..<6).map { k in
            var f = Self.siO
            f.positions = f.positions.map { $0 + SIMD3(0.01 * Double(k), 0, 0) }
            return f
        }
        _ = try dir.write(Self.dump(frames, typeMap: ["Si", "O"], every: 20), to: "traj.dump")
        // Rows 2 and 4 are candidates, row 5 is NaN (failed); the rest accurate.
        let f = [0.01, 0.02, 0.12, 0.03, 0.2, Double.nan]
        try SelectionFixtures.writeModelDevi(f.indices.map { (step: $0 * 20, v: 0.001, f: f[$0]) }, to: dir.file("model_devi.out"))
        let trajectory = Trajectory(
            task: "task.000", system: "bulk", condition: "T=300 K", modelDeviation: dir.file("model_devi.out"),
            frames: dir.file("traj.dump"), framesFormat: .lammpsDump(typeMap: ["Si", "O"]))
        let selector = Selector(force: .fixed(lo: 0.05, hi: 0.3), maxPerIteration: 10, strategy: .highest, seed: 1, iteration: 0)
        let (outcome, picked) = try selector.run([trajectory])
        #expect(outcome.picked.map(\.frameIndex) == [4, 2])
        #expect(outcome.trajectories.first?.nanFrames == 1 && outcome.trajectories.first?.failed == 1)
        #expect(picked.map(\.species) == [Self.siO.species, Self.siO.species])
        #expect(picked.map(\.positions) == [frames[4].positions, frames[2].positions])
    }
}
