import Foundation

/// What the first iteration of a workflow would create, without running
/// anything: `gyre plan`. Directories and commands are the driver's own.
public struct RunPlan: Codable, Sendable {
    public struct Step: Codable, Sendable {
        public var iteration: String
        public var step: String
        public var note: String
        public var tasks: [PlannedTask]
    }

    public struct PlannedTask: Codable, Sendable {
        public var name: String
        public var directory: String
        public var command: [String]
    }

    public var workflow: String
    public var workdir: String
    public var executor: String
    public var steps: [Step]

    public init(_ workflow: Workflow) {
        let layout = WorkdirLayout(root: workflow.workdir)
        self.workflow = workflow.name
        self.workdir = workflow.workdir.path
        self.executor = workflow.executor.name
        var steps: [Step] = []
        let generated = workflow.data.reduce(0) { n, source in
            if case .generate(let g) = source { return n + g.count }
            return n
        }
        let labelCommand = (try? LabelAdapters.adapter(for: workflow.label, elements: workflow.elements, masses: workflow.masses))?.command
            ?? ["sh", "-c", workflow.label.engine.dft?.command ?? workflow.label.engine.name]
        if generated > 0 {
            let base = layout.stepDirectory(iteration: -1, .label)
            steps.append(Step(
                iteration: "init", step: "label", note: "label \(generated) generated frames with \(workflow.label.engine.name)",
                tasks: (0..<generated).map {
                    PlannedTask(name: WorkdirLayout.taskName($0), directory: "\(base)/\(WorkdirLayout.taskName($0))", command: labelCommand)
                }))
        }
        let models = (0..<workflow.train.models).map { layout.modelDirectory(iteration: 0, member: $0) + "/model.json" }
        steps.append(Step(
            iteration: "iter.000", step: "train", note: "\(workflow.train.models) ensemble members on data/init.extxyz",
            tasks: (0..<workflow.train.models).map { m in
                let dir = layout.modelDirectory(iteration: 0, member: m)
                return PlannedTask(
                    name: "model.\(m)", directory: dir,
                    command: BuiltinCommands.train(
                        seed: taskSeed(workflow.seed, "train", "0", "\(m)"), member: m,
                        data: [relativePath(from: dir, to: "data/init.extxyz")], initFrom: nil, elements: workflow.elements))
            }))
        if let stage = workflow.explore.stages.first {
            steps.append(Step(
                iteration: "iter.000", step: "explore",
                note: "stage \(stage.name): \(stage.conditions.count) MD tasks (systems × temperatures × pressures"
                    + (stage.variables.isEmpty ? "" : " × variables") + "), \(stage.steps) steps each",
                tasks: stage.conditions.enumerated().map { i, c in
                    let dir = "\(layout.stepDirectory(iteration: 0, .explore))/\(WorkdirLayout.taskName(i))"
                    let variables = c.variables.map { ", \($0.name)=\($0.value)" }.joined()
                    let command: [String] = switch workflow.explore.engine {
                    case .lammps(let lammps): ["/bin/sh", "-c", lammps.command]
                    case .builtin:
                        BuiltinCommands.md(
                            models: models.map { relativePath(from: dir, to: $0) }, stage: stage, condition: c,
                            seed: taskSeed(workflow.seed, "explore", "0", "\(i)"), explore: workflow.explore)
                    }
                    return PlannedTask(
                        name: "\(WorkdirLayout.taskName(i)) (\(c.system), \(c.temperature) K\(c.pressure.map { ", \($0) bar" } ?? "")\(variables))",
                        directory: dir, command: command)
                }))
            let frames = stage.conditions.count * (stage.steps / stage.sampleEvery + 1)
            steps.append(Step(
                iteration: "iter.000", step: "select",
                note: "classify ~\(frames) sampled frames, pick ≤ \(workflow.select.maxPerIteration) by \(workflow.select.strategy.rawValue) (in gyre, no task)",
                tasks: []))
            steps.append(Step(
                iteration: "iter.000", step: "label",
                note: "≤ \(workflow.select.maxPerIteration) tasks, one per picked frame, each running: \(labelCommand.joined(separator: " "))",
                tasks: []))
            steps.append(Step(iteration: "iter.000", step: "ingest", note: "accepted labels → data/iter.000.extxyz", tasks: []))
        }
        self.steps = steps
    }
}

extension LabelSettings.Engine {
    var dft: DFTSettings? {
        switch self {
        case .builtin: nil
        case .qe(let s), .vasp(let s), .cp2k(let s), .abacus(let s), .gaussian(let s): s
        }
    }
}
