import Foundation

extension RunDriver {
    /// One MD task per system × temperature × pressure (× the stage's variable grid), driven by the ensemble.
    func explore(iteration: IterationRecord, index: Int, stage: Stage, models: [String]) async throws -> [Trajectory] {
        let conditions = stage.conditions
        let lammps = try lammpsWriter()
        var plans: [TaskPlan] = []
        for (i, condition) in conditions.enumerated() {
            let dir = "\(layout.stepDirectory(iteration: index, .explore))/\(WorkdirLayout.taskName(i))"
            let seed = taskSeed(workflow.seed, "explore", "\(index)", "\(i)")
            let command = lammps?.command ?? BuiltinCommands.md(
                models: models.map { relativePath(from: dir, to: $0) }, stage: stage, condition: condition, seed: seed,
                explore: workflow.explore)
            plans.append(TaskPlan(index: i, name: WorkdirLayout.taskName(i), directory: dir, command: command))
        }
        let (step, records) = try tasks(iteration: iteration, kind: .explore, plans)
        if step.state != .done {
            for (record, condition) in zip(records, conditions) where record.state != .done {
                let dir = layout.url(record.directory)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let start = try startingStructure(condition.system)
                if let lammps {
                    let seed = taskSeed(workflow.seed, "explore", "\(index)", "\(record.index)")
                    try lammps.prepare(
                        start: start, stage: stage, condition: condition,
                        models: models.map { relativePath(from: record.directory, to: $0) }, seed: seed, in: dir)
                } else {
                    try AtomicFile.write(ExtXYZ.format(start), to: dir.appendingPathComponent("start.extxyz"))
                }
            }
            let label = "\(WorkdirLayout.iterationName(index)) explore"
            let runner: StepRunner
            if lammps != nil {
                let rows = LAMMPSInputWriter.expectedRows(stage)
                runner = try self.runner(
                    workflow.explore.step, label: label, accept: { LAMMPSRunCheck.rejection($0, expectedRows: rows) },
                    explainFailure: LAMMPSRunCheck.failureDetail)
            } else {
                runner = try self.runner(workflow.explore.step, label: label, accept: BuiltinCommands.acceptMD)
            }
            let done = try await runner.run(records)
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
            for v in condition.variables { text += ", \(v.name)=\(Self.number(v.value))" }
            let dir = layout.url(record.directory)
            guard lammps != nil else {
                return Trajectory(task: record.directory, system: condition.system, condition: text, directory: dir)
            }
            return Trajectory(
                task: record.directory, system: condition.system, condition: text,
                modelDeviation: dir.appendingPathComponent(LAMMPSInputWriter.modelDeviationName),
                frames: dir.appendingPathComponent(LAMMPSInputWriter.dumpName), framesFormat: .lammpsDump(typeMap: workflow.elements))
        }
    }

    /// The LAMMPS input writer when `explore.engine` is lammps (its template is read and checked now), else nil.
    func lammpsWriter() throws -> LAMMPSInputWriter? {
        guard case .lammps(let settings) = workflow.explore.engine else { return nil }
        return try LAMMPSInputWriter(settings: settings, elements: workflow.elements, masses: workflow.masses)
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
