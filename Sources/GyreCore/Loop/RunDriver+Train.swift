import Foundation

extension RunDriver {
    /// Trains the ensemble on all data so far; returns the model files relative to the workdir.
    func train(iteration: IterationRecord, index: Int, final: Bool) async throws -> [String] {
        let dataFiles = layout.dataFiles().map { "data/\($0.lastPathComponent)" }
        guard !dataFiles.isEmpty else { throw GyreError(.journal, "no labelled data to train on in \(layout.dataDirectory.path)") }
        var plans: [TaskPlan] = []
        for member in 0..<workflow.train.models {
            let dir = final ? layout.finalModelDirectory(member: member) : layout.modelDirectory(iteration: index, member: member)
            var previous: String?
            if workflow.train.initFromPrevious, index > 0 {
                let prior = layout.modelDirectory(iteration: index - 1, member: member) + "/model.json"
                if FileManager.default.fileExists(atPath: layout.url(prior).path) { previous = relativePath(from: dir, to: prior) }
            }
            let seed = taskSeed(workflow.seed, "train", final ? "final" : "\(index)", "\(member)")
            let command: [String]
            switch workflow.train.engine {
            case .builtin:
                command = BuiltinCommands.train(
                    seed: seed, member: member, data: dataFiles.map { relativePath(from: dir, to: $0) },
                    initFrom: previous, elements: workflow.elements)
            case .deepmd:
                throw GyreError(.invalidInput, "train.engine deepmd cannot run in this version of gyre; use `builtin`")
            }
            plans.append(TaskPlan(index: member, name: "model.\(member)", directory: dir, command: command))
        }
        let (step, records) = try tasks(iteration: iteration, kind: .train, plans)
        if step.state != .done {
            for r in records { try FileManager.default.createDirectory(at: layout.url(r.directory), withIntermediateDirectories: true) }
            let done = try await runner(workflow.train.step, label: "\(WorkdirLayout.iterationName(index)) train",
                                        accept: BuiltinCommands.acceptTraining).run(records)
            let failed = done.filter { $0.state != .done }
            guard failed.isEmpty else {
                throw GyreError(.execution, "training failed: \(failed.map { "\($0.name): \($0.failureReason ?? "unknown")" }.joined(separator: "; "))")
            }
            try journal.finishStep(step.id)
        }
        return records.map { $0.directory + "/model.json" }
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
