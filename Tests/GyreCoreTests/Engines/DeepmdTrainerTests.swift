import Foundation
import Testing
@testable import GyreCore

/// The DeePMD-kit adapter without DeePMD-kit: what it writes and runs, and how it reads lcurve.out.
struct DeepmdTrainerInputTests {
    static func member(_ seed: UInt64, steps: Int? = nil, startLR: Double? = nil) -> DeepmdInputTemplate.Member {
        .init(typeMap: ["Si", "O"], systems: ["../../../data/deepmd/O2Si4"], seed: seed, steps: steps, startLR: startLR)
    }

    static func filled(_ template: URL, _ member: DeepmdInputTemplate.Member) throws -> [String: Any] {
        let data = try DeepmdInputTemplate(contentsOf: template).input(for: member)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func fillsTypeMapSystemsSeedsAndKeepsTheUsersKeys() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try DeepmdTest.tinyTemplate(in: dir.url) { root in
            root["_comment"] = "mine"
            root["training"] = ["training_data": ["systems": ["x"], "batch_size": 3], "numb_steps": 77,
                                "validation_data": ["systems": ["/abs/val"]], "disp_freq": 5]
        }
        let a = try Self.filled(template, Self.member(1))
        let b = try Self.filled(template, Self.member(2, steps: 500, startLR: 1e-4))
        let model = try #require(a["model"] as? [String: Any])
        #expect(model["type_map"] as? [String] == ["Si", "O"])
        let training = try #require(a["training"] as? [String: Any])
        let data = try #require(training["training_data"] as? [String: Any])
        #expect(data["systems"] as? [String] == ["../../../data/deepmd/O2Si4"])
        #expect(data["batch_size"] as? Int == 3)
        #expect(training["numb_steps"] as? Int == 77, "no steps given: the template's")
        #expect((training["validation_data"] as? [String: Any])?["systems"] as? [String] == ["/abs/val"])
        #expect(a["_comment"] as? String == "mine")
        let tb = try #require(b["training"] as? [String: Any])
        #expect(tb["numb_steps"] as? Int == 500)
        #expect((b["learning_rate"] as? [String: Any])?["start_lr"] as? Double == 1e-4)
        #expect((a["learning_rate"] as? [String: Any])?["start_lr"] as? Double == 0.001)
        func seeds(_ root: [String: Any]) -> [Int] {
            let m = root["model"] as? [String: Any]
            return [(m?["descriptor"] as? [String: Any])?["seed"], (m?["fitting_net"] as? [String: Any])?["seed"],
                    (root["training"] as? [String: Any])?["seed"]].compactMap { $0 as? Int }
        }
        #expect(seeds(a).count == 3 && seeds(b).count == 3)
        #expect(Set(seeds(a) + seeds(b)).count == 6, "every seed differs across members and parts")
        #expect(seeds(a) == seeds(try Self.filled(template, Self.member(1))), "reproducible")
    }

    @Test(arguments: [
        ("[1, 2]", "must be a JSON object"),
        ("{\"model\": 3}", "`model` in the DeePMD-kit template must be a JSON object"),
        ("{\"training\": {\"disp_file\": \"../x\"}}", "disp_file must be a file name"),
        ("{\"model\": ", "not valid JSON"),
    ])
    func rejectsATemplateThatIsNotAnInputObject(text: String, message: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = try dir.write(text, to: "bad.json")
        #expect {
            _ = try DeepmdInputTemplate(contentsOf: url)
        } throws: { error in
            let e = error as? GyreError
            return e?.location?.file == url.path && e?.message.contains(message) == true
        }
    }

    @Test func commandQuotesEveryPathItAdds() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try DeepmdTest.tinyTemplate(in: dir.url)
        let trainer = try DeepmdTrainer(settings: DeepmdTraining(template: template, command: "dp --tf", compress: true))
        let argv = trainer.command(start: .frozenModel("/m/it's $(rm -rf ~)/frozen_model.pb"))
        #expect(argv.prefix(2) == ["/bin/sh", "-c"])
        #expect(argv[2] == """
            set -e
            dp --tf train input.json --init-frz-model '/m/it'\\''s $(rm -rf ~)/frozen_model.pb'
            dp --tf freeze -o frozen_model
            dp --tf compress -i frozen_model -o compressed_model
            """)
        let plain = try DeepmdTrainer(settings: DeepmdTraining(template: template, command: "dp"))
        #expect(plain.command(start: .finetune("/p/model.pb"))[2] == "set -e\ndp train input.json --finetune '/p/model.pb'\ndp freeze -o frozen_model")
    }
}

/// lcurve.out as DeePMD-kit 3.2 writes it (TensorFlow backend, with and without validation data).
struct DeepmdLearningCurveTests {
    static let trainingOnly = """
        #  step      rmse_trn    rmse_e_trn    rmse_f_trn   lr
        # If there is no available reference data, rmse_*_{val,trn} will print nan
              0      1.47e+01      1.21e+00      4.65e-01    1.0e-03
             50      7.06e+00      1.16e+00      5.49e-01    2.5e-05

        """

    @Test func readsTheLastRowByColumnName() throws {
        let curve = try DeepmdLearningCurve.parse(Self.trainingOnly, file: "lcurve.out")
        #expect(curve.columns == ["step", "rmse_trn", "rmse_e_trn", "rmse_f_trn", "lr"])
        #expect(curve.rows.count == 2)
        let e = try #require(curve.finalErrors)
        #expect(e == DeepmdTrainingErrors(steps: 50, energyTrain: 1.16, forceTrain: 0.549, energyValidation: nil, forceValidation: nil))
        #expect(curve.divergence == nil)
    }

    @Test func readsValidationColumnsAndIgnoresNaNVirials() throws {
        let text = """
            #  step      rmse_val    rmse_trn    rmse_e_val  rmse_e_trn    rmse_f_val  rmse_f_trn    rmse_v_val  rmse_v_trn   lr
                  0      3.0e+00     3.1e+00     2.0e-01     2.1e-01       1.0e-01     1.1e-01       nan         nan     1.0e-03
                100      1.0e+00     1.1e+00     2.0e-02     2.1e-02       5.0e-02     5.1e-02       nan         nan     1.0e-04
                200      1.0e+00     1.1e+00     2.0e-
            """
        let curve = try DeepmdLearningCurve.parse(text, file: "lcurve.out")
        #expect(curve.rows.count == 2, "the row cut short by a killed run ends the curve")
        #expect(curve.divergence == nil, "virials without reference data print nan by design")
        let e = try #require(curve.finalErrors)
        #expect(e.steps == 100 && e.energyValidation == 0.02 && e.forceValidation == 0.05 && e.forceTrain == 0.051)
    }

    @Test func findsDivergence() throws {
        let text = Self.trainingOnly + "    100      nan      nan      nan    1.0e-05\n"
        let curve = try DeepmdLearningCurve.parse(text, file: "lcurve.out")
        let d = try #require(curve.divergence)
        #expect(d.step == 100 && d.column == "rmse_trn")
    }

    @Test func locatesAMalformedValue() {
        let text = "# step rmse_trn lr\n 0 1.0 x\n"
        #expect {
            _ = try DeepmdLearningCurve.parse(text, file: "lcurve.out")
        } throws: { ($0 as? GyreError)?.location == SourceLocation(file: "lcurve.out", line: 2) }
    }
}

/// Real DeePMD-kit through the adapter: train, freeze, (compress), read back.
@Suite(.serialized, .enabled(if: DeepmdTest.dp != nil, DeepmdTest.skipMessage))
struct DeepmdRealTrainingTests {
    @Test func trainsAndFreezesATinyEnsembleThenContinuesFromIt() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try DeepmdTest.tinyTemplate(in: dir.url)
        let members = try await DeepmdTest.trainEnsemble(in: dir.url, template: template) { $0.steps = 60 }
        #expect(members.count == 2)
        var seeds: Set<Int> = []
        for m in members {
            #expect(m.outcome == .exited(status: 0), "\(m.reason ?? "accepted")")
            #expect(m.reason == nil)
            #expect(m.model.lastPathComponent == "frozen_model.pb")
            #expect(FileManager.default.fileExists(atPath: m.model.path))
            let input = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: m.directory.appendingPathComponent("input.json"))) as? [String: Any])
            seeds.insert(try #require((input["training"] as? [String: Any])?["seed"] as? Int))
            let errors = try #require(try DeepmdLearningCurve.read(m.directory.appendingPathComponent("lcurve.out")).finalErrors)
            #expect(errors.steps == 60)
            #expect(errors.energyTrain.map { $0.isFinite && $0 > 0 } == true)
            #expect(errors.forceTrain.map { $0.isFinite && $0 > 0 } == true)
        }
        #expect(seeds.count == 2, "members train with distinct seeds")
        let bytes = try members.map { try Data(contentsOf: $0.model) }
        #expect(bytes[0] != bytes[1], "distinct seeds give distinct models")

        // The next iteration: start from member 0's frozen model, fewer steps, then compress.
        let next = dir.file("next")
        let continued = try await DeepmdTest.trainEnsemble(
            in: next, members: 1, template: template,
            settings: { $0.steps = 60; $0.initSteps = 20; $0.initStartLR = 5e-4; $0.compress = true },
            start: .frozenModel(members[0].model.path))
        let m = try #require(continued.first)
        #expect(m.reason == nil, "\(m.reason ?? "accepted")")
        #expect(m.model.lastPathComponent == "compressed_model.pb")
        #expect(FileManager.default.fileExists(atPath: m.directory.appendingPathComponent("frozen_model.pb").path))
        let curve = try DeepmdLearningCurve.read(m.directory.appendingPathComponent("lcurve.out"))
        #expect(curve.finalErrors?.steps == 20, "init_steps")
        #expect(curve.last("lr").map { $0 <= 5e-4 } == true, "init_start_lr")
    }

    /// `train.finetune`: DeePMD-kit's TensorFlow backend fine-tunes only models
    /// pretrained with an attention descriptor, so the pretrained model is a tiny se_atten one.
    @Test func finetunesFromAPretrainedAttentionModel() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try DeepmdTest.tinyTemplate(in: dir.url) { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["descriptor"] = ["type": "se_atten", "rcut": 4.0, "rcut_smth": 0.5, "sel": 40, "neuron": [4, 8],
                                   "axis_neuron": 4, "attn": 8, "attn_layer": 1]
            root["model"] = model
        }
        let pretrained = try await DeepmdTest.trainEnsemble(in: dir.file("pretrained"), members: 1, template: template) { $0.steps = 10 }
        let base = try #require(pretrained.first)
        #expect(base.reason == nil, "\(base.reason ?? "accepted")")
        let tuned = try await DeepmdTest.trainEnsemble(
            in: dir.file("tuned"), members: 1, template: template, settings: { $0.steps = 10 },
            start: .finetune(base.model.path))
        let m = try #require(tuned.first)
        #expect(m.outcome == .exited(status: 0), "\(m.reason ?? "accepted")")
        #expect(m.reason == nil, "\(m.reason ?? "accepted")")
        #expect(FileManager.default.fileExists(atPath: m.model.path))
        #expect(try DeepmdLearningCurve.read(m.directory.appendingPathComponent("lcurve.out")).finalErrors?.steps == 10)
    }

    @Test func aFailingTrainingIsRejectedWithTheLogTail() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // A descriptor type DeePMD-kit does not know: `dp train` exits non-zero.
        let template = try DeepmdTest.tinyTemplate(in: dir.url) { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["descriptor"] = ["type": "no_such_descriptor", "rcut": 4.0]
            root["model"] = model
        }
        let members = try await DeepmdTest.trainEnsemble(in: dir.url, members: 1, template: template)
        let m = try #require(members.first)
        #expect(m.outcome != .exited(status: 0))
        let reason = try #require(m.reason)
        #expect(reason.contains("lcurve.out is missing"), "\(reason)")
        #expect(reason.contains("stderr ends with"), "\(reason)")
        #expect(reason.contains("no_such_descriptor"), "the tail names DeePMD-kit's complaint: \(reason)")
        #expect(!reason.contains("implib-gen"), "the CUDA loader's exit noise is left out: \(reason)")
    }
}

/// `train:` keys of the DeePMD-kit engine as `gyre check` sees them.
struct DeepmdTrainDecodingTests {
    static let template = WorkflowFixtures.repositoryRoot.appendingPathComponent("Templates/deepmd/input-small.json").path

    static func train(_ keys: String) throws -> String {
        try WorkflowFixtures.patched("  engine: builtin\n  models: 4", "  engine: deepmd\n  models: 4\n  template: \(template)\n" + keys)
    }

    @Test func decodesEveryKey() throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(try Self.train("""
              command: dp --tf
              steps: 400
              init_steps: 100
              init_start_lr: 0.0005
              init_model: \(Self.template)
              compress: true
            """))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .deepmd(let d)? = workflow?.train.engine else {
            Issue.record("not a deepmd engine")
            return
        }
        #expect(d.command == "dp --tf" && d.steps == 400 && d.initSteps == 100 && d.initStartLR == 0.0005)
        #expect(d.initModel?.path == Self.template && d.finetune == nil && d.compress)
    }

    @Test(arguments: [
        ("  steps: 0", "train.steps must be at least 1, found 0"),
        ("  init_start_lr: 2", "train.init_start_lr must be below 1"),
        ("  compress: maybe", "train.compress must be true or false"),
        ("  finetune: nope.pb", "train.finetune: pretrained model `nope.pb` does not exist"),
        ("  init_model: \(template)\n  finetune: \(template)", "train.finetune and train.init_model exclude each other"),
        ("  command: ' '", "train.command must name the DeePMD-kit command"),
    ])
    func reportsBadKeysWhereTheyAre(keys: String, message: String) throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(try Self.train(keys))
        #expect(workflow == nil)
        #expect(diagnostics.contains { $0.message.contains(message) && ($0.location.line ?? 0) >= 20 }, "\(diagnostics.map(\.message))")
    }

    @Test func reportsATemplateThatIsNotAnObject() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let bad = try dir.write("[]", to: "input.json")
        let text = try WorkflowFixtures.patched("  engine: builtin\n  models: 4", "  engine: deepmd\n  models: 4\n  template: \(bad.path)")
        let (_, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(diagnostics.contains { $0.message.contains("must be a JSON object") && $0.lineColumn == "20:13" }, "\(diagnostics.map { "\($0.lineColumn) \($0.message)" })")
    }
}

/// Members' final errors in the journal (migration v3) and as the report averages them.
struct DeepmdTrainingErrorJournalTests {
    @Test func recordsReadsBackAndAveragesPerIteration() throws {
        let journal = try Journal.inMemory()
        let iteration = try journal.beginIteration(index: 0, stageName: "warm", stageIndex: 0)
        let step = try journal.beginStep(iteration: iteration.id, kind: .train)
        let tasks = try journal.addTasks(step: step.id, (0..<2).map {
            TaskPlan(index: $0, name: "model.\($0)", directory: "iter.000/train/model.\($0)", command: ["dp"])
        })
        let a = TrainingErrorRecord(taskID: tasks[0].id, frames: 12, DeepmdTrainingErrors(
            steps: 400, energyTrain: 0.010, forceTrain: 0.30, energyValidation: 0.02, forceValidation: 0.5))
        let b = TrainingErrorRecord(taskID: tasks[1].id, frames: 12, DeepmdTrainingErrors(
            steps: 400, energyTrain: 0.030, forceTrain: 0.50, energyValidation: nil, forceValidation: nil))
        try journal.recordTrainingErrors(a)
        try journal.recordTrainingErrors(b)
        try journal.recordTrainingErrors(b)  // a rerun after a crash records the same row again
        let read = try journal.trainingErrors(step: step.id)
        #expect(read == [tasks[0].id: a, tasks[1].id: b])
        let (training, validation) = TrainingErrors.measure(Array(read.values))
        #expect(training?.members == 2 && training?.frames == 12)
        #expect(abs((training?.energyRMSEPerAtom ?? 0) - 0.02) < 1e-12 && abs((training?.forceRMSE ?? 0) - 0.4) < 1e-12)
        #expect(validation?.members == 1 && validation?.forceRMSE == 0.5, "only members with validation data count")
        #expect(TrainingErrors.measure([]) .training == nil)
    }
}
