import Foundation

extension RunDriver {
    /// One MD task per system × temperature × pressure, driven by the ensemble.
    func explore(iteration: IterationRecord, index: Int, stage: Stage, models: [String]) async throws -> [Trajectory] {
        let conditions = stage.conditions
        var plans: [TaskPlan] = []
        for (i, condition) in conditions.enumerated() {
            let dir = "\(layout.stepDirectory(iteration: index, .explore))/\(WorkdirLayout.taskName(i))"
            let seed = taskSeed(workflow.seed, "explore", "\(index)", "\(i)")
            let command: [String]
            switch workflow.explore.engine {
            case .builtin:
                command = BuiltinCommands.md(
                    models: models.map { relativePath(from: dir, to: $0) }, stage: stage, condition: condition, seed: seed,
                    explore: workflow.explore)
            case .lammps:
                throw GyreError(.invalidInput, "explore.engine lammps cannot run in this version of gyre; use `builtin`")
            }
            plans.append(TaskPlan(index: i, name: WorkdirLayout.taskName(i), directory: dir, command: command))
        }
        let (step, records) = try tasks(iteration: iteration, kind: .explore, plans)
        if step.state != .done {
            for (record, condition) in zip(records, conditions) where record.state != .done {
                let dir = layout.url(record.directory)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let start = try startingStructure(condition.system)
                try AtomicFile.write(ExtXYZ.format(start), to: dir.appendingPathComponent("start.extxyz"))
            }
            let done = try await runner(workflow.explore.step, label: "\(WorkdirLayout.iterationName(index)) explore",
                                        accept: BuiltinCommands.acceptMD).run(records)
            if done.allSatisfy({ $0.state != .done }) {
                throw GyreError(.execution, "every exploration task failed; first reason: \(done.first?.failureReason ?? "unknown")")
            }
            try journal.finishStep(step.id)
        }
        let finished = try journal.tasks(step: step.id, in: [.done])
        return finished.map { record in
            let condition = conditions[record.index]
            var text = "T=\(Self.number(condition.temperature)) K"
            if let p = condition.pressure { text += ", P=\(Self.number(p)) bar" }
            return Trajectory(task: record.directory, system: condition.system, condition: text, directory: layout.url(record.directory))
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e12 ? String(Int(x)) : String(x)
    }

    /// The structure an exploration of `system` starts from: built the same way every time.
    func startingStructure(_ system: String) throws -> Frame {
        guard let named = workflow.system(named: system) else {
            throw GyreError(.invalidInput, "no system named \(system)")
        }
        switch named.structure {
        case .lattice(let spec):
            var random = SeededGenerator(seed: workflow.seed, stream: ["system", system])
            return LatticeBuilder.build(spec, random: &random)
        case .file(let url):
            guard let frame = try FrameFile.read(url, typeMap: workflow.elements).first else {
                throw GyreError(.malformedFile, "holds no structure", at: SourceLocation(file: url.path))
            }
            return frame
        }
    }
}
