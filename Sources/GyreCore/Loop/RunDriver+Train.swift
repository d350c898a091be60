import Foundation

extension RunDriver {
    /// Trains the ensemble on all data so far; returns the model files relative to the workdir.
    func train(iteration: IterationRecord, index: Int, final: Bool) async throws -> [String] {
        let trainer = try deepmdTrainer()
        var plans: [TaskPlan] = []
        var starts: [Int: DeepmdTrainer.Start] = [:]
        let builtinData = layout.dataFiles().map { "data/\($0.lastPathComponent)" }
        let deepmdData = layout.deepmdSystems().map { "data/deepmd/\($0.lastPathComponent)" }
        guard !(trainer == nil ? builtinData : deepmdData).isEmpty else {
            let place = trainer == nil ? layout.dataDirectory : layout.deepmdDataDirectory
            throw GyreError(.journal, "no labelled data to train on in \(place.path)")
        }
        let seed = { (member: Int) in taskSeed(self.workflow.seed, "train", final ? "final" : "\(index)", "\(member)") }
        for member in 0..<workflow.train.models {
            let dir = final ? layout.finalModelDirectory(member: member) : layout.modelDirectory(iteration: index, member: member)
            let priorDirectory = workflow.train.initFromPrevious && index > 0
                ? layout.modelDirectory(iteration: index - 1, member: member) : nil
            let command: [String]
            if let trainer {
                let start = deepmdStart(trainer, priorDirectory: priorDirectory, taskDirectory: dir)
                starts[member] = start
                command = trainer.command(start: start)
            } else {
                var previous: String?
                if let prior = priorDirectory.map({ $0 + "/model.json" }),
                   FileManager.default.fileExists(atPath: layout.url(prior).path) {
                    previous = relativePath(from: dir, to: prior)
                }
                command = BuiltinCommands.train(
                    seed: seed(member), member: member, data: builtinData.map { relativePath(from: dir, to: $0) },
                    initFrom: previous, elements: workflow.elements)
            }
            plans.append(TaskPlan(index: member, name: "model.\(member)", directory: dir, command: command))
        }
        let (step, records) = try tasks(iteration: iteration, kind: .train, plans)
        if step.state != .done {
            for r in records {
                let dir = layout.url(r.directory)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                if let trainer, r.state != .done, let start = starts[r.index] {
                    try trainer.prepare(
                        in: dir, typeMap: workflow.elements, systems: deepmdData.map { relativePath(from: r.directory, to: $0) },
                        seed: seed(r.index), start: start)
                }
            }
            let label = "\(WorkdirLayout.iterationName(index)) train"
            let runner = if let trainer {
                try self.runner(workflow.train.step, label: label, accept: { trainer.rejection($0) }, explainFailure: {
                    let tail = DeepmdTrainer.logTail($0)
                    return tail.isEmpty ? nil : tail
                })
            } else {
                try self.runner(workflow.train.step, label: label, accept: BuiltinCommands.acceptTraining)
            }
            let done = try await runner.run(records)
            let failed = done.filter { $0.state != .done }
            guard failed.isEmpty else {
                throw GyreError(.execution, "training failed: \(failed.map { "\($0.name): \($0.failureReason ?? "unknown")" }.joined(separator: "; "))")
            }
            if let trainer {
                // Journaled before the step is done, so a finished step always has its members' errors.
                let frames = try DeepmdTrainer.frames(in: deepmdData.map(layout.url))
                for r in done {
                    if let errors = try trainer.errors(in: layout.url(r.directory)) {
                        try journal.recordTrainingErrors(TrainingErrorRecord(taskID: r.id, frames: frames, errors))
                    }
                }
            }
            try journal.finishStep(step.id)
        }
        guard let trainer else { return records.map { $0.directory + "/model.json" } }
        return try records.map { r in
            guard let model = trainer.model(in: layout.url(r.directory)) else {
                throw GyreError(.engineOutput, "\(r.directory) finished, but its DeePMD-kit model is gone")
            }
            return r.directory + "/" + model
        }
    }

    /// The DeePMD-kit trainer when the workflow trains with it; nil for the built-in trainer.
    private func deepmdTrainer() throws -> DeepmdTrainer? {
        switch workflow.train.engine {
        case .builtin: nil
        case .deepmd(let settings): try DeepmdTrainer(settings: settings)
        }
    }

    /// A member starts from its previous iteration's frozen model when there is
    /// one (`init_from_previous`), else from `init_model` or by fine-tuning `finetune`.
    private func deepmdStart(_ trainer: DeepmdTrainer, priorDirectory: String?, taskDirectory: String) -> DeepmdTrainer.Start {
        if let prior = priorDirectory, let model = DeepmdTrainer.frozenModel(in: layout.url(prior)) {
            return .frozenModel(relativePath(from: taskDirectory, to: prior + "/" + model))
        }
        if let url = trainer.settings.initModel { return .frozenModel(url.path) }
        if let url = trainer.settings.finetune { return .finetune(url.path) }
        return .scratch
    }

    /// The ensemble trained on every label, in models/final/.
    func finalTraining(index: Int) async throws {
        let record = try journal.beginIteration(index: index, stageName: "final", stageIndex: workflow.explore.stages.count)
        if record.state == .done { return }
        progress.milestone("final training of \(workflow.train.models) models on all data")
        let models = try await train(iteration: record, index: index, final: true)
        try journal.finishIteration(record.id)
        progress.milestone("final models: \(models.map { layout.url($0).path }.joined(separator: ", "))")
    }
}
