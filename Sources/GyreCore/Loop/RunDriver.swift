import Foundation

/// Drives a workflow's iterations — train, explore, select, label, ingest —
/// stage after stage until each converges, then trains the final ensemble.
/// Every decision is replayed from the journal on resume: finished steps
/// are skipped, finished tasks never rerun.
public struct RunDriver: Sendable {
    public enum Outcome: Sendable, Equatable {
        case converged(iterations: Int)
        /// The run stopped; the message says why and what to change.
        case stopped(String)
    }

    let workflow: Workflow
    let journal: Journal
    let layout: WorkdirLayout
    let progress: ProgressLog
    /// What to do with queued or running scheduler jobs when the run is interrupted.
    let onInterrupt: InterruptDecision

    public init(
        workflow: Workflow, journal: Journal, progress: ProgressLog,
        onInterrupt: @escaping InterruptDecision = { _ in .leave }
    ) {
        self.workflow = workflow
        self.journal = journal
        self.layout = WorkdirLayout(root: workflow.workdir)
        self.progress = progress
        self.onInterrupt = onInterrupt
    }

    public func run() async throws -> Outcome {
        do {
            return try await runStages()
        } catch let stop as RunStop {
            return .stopped(stop.message)
        }
    }

    private func runStages() async throws -> Outcome {
        try await initialData()
        var index = 0
        for (stageIndex, stage) in workflow.explore.stages.enumerated() {
            var converged = false
            var previousLo: Double?
            for round in 0..<stage.maxIterations {
                let summary = try await iteration(index, stage: stage, stageIndex: stageIndex, previousLo: previousLo)
                index += 1
                previousLo = summary.trustLo
                if summary.converged {
                    progress.milestone("stage \(stage.name) converged after \(round + 1) iteration\(round == 0 ? "" : "s") "
                        + "(\(Self.percent(summary.accurateFraction)) accurate)")
                    converged = true
                    break
                }
            }
            if !converged {
                return .stopped("""
                    stage \(stage.name) did not converge in max_iterations (\(stage.maxIterations)): raise \
                    explore.stages[\(stageIndex)].max_iterations, lower converged_when.accurate, or widen \
                    select.trust; run again to resume
                    """)
            }
        }
        try await finalTraining(index: index)
        // The page written after the last iteration still said "running"; this one has the verdict.
        await ReportRefresh.write(workdir: layout.root, progress: progress)
        return .converged(iterations: index)
    }

    /// Stops the run without failing it: the journal is consistent and a new `gyre run` resumes.
    struct RunStop: Error {
        var message: String
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

    /// One iteration, or its journaled summary when it already finished.
    private func iteration(_ index: Int, stage: Stage, stageIndex: Int, previousLo: Double?) async throws -> IterationSummary {
        let record = try journal.beginIteration(index: index, stageName: stage.name, stageIndex: stageIndex)
        if record.state == .done, let summary = try record.decodedSummary(as: IterationSummary.self) {
            return summary
        }
        let name = WorkdirLayout.iterationName(index)
        progress.milestone("\(name) (stage \(stage.name)): training \(workflow.train.models) models")
        let models = try await train(iteration: record, index: index, final: false)
        progress.milestone("\(name): exploring \(stage.conditions.count) conditions")
        let trajectories = try await explore(iteration: record, index: index, stage: stage, models: models)
        let selection = try select(iteration: record, index: index, stage: stage, trajectories: trajectories)
        progress.milestone("\(name): \(selection.sampled) frames sampled, \(Self.percent(selection.accurateFraction)) accurate, "
            + "\(selection.candidate) candidates, \(selection.failed) failed; labelling \(selection.picked)")
        let (labelled, failed) = try await labelAndIngest(iteration: record, index: index)
        var summary = selection
        summary.labelled = labelled
        summary.labelsFailed = failed
        summary.converged = isConverged(summary, stage: stage, previousLo: previousLo)
        try journal.setSummary(summary, ofIteration: record.id)
        try journal.finishIteration(record.id)
        await ReportRefresh.write(workdir: layout.root, progress: progress)
        return summary
    }

    private func isConverged(_ s: IterationSummary, stage: Stage, previousLo: Double?) -> Bool {
        if let target = stage.convergedWhen.accurate, s.accurateFraction < target { return false }
        if let tolerance = stage.convergedWhen.loStable {
            guard let previousLo, abs(s.trustLo - previousLo) < tolerance else { return false }
        }
        return true
    }

    /// The executor of a step: its own, else the workflow's. Slurm jobs are
    /// named `gyre-<workflow name>` (squeue is polled by that name) and keep
    /// their scripts and Slurm output in `<workdir>/slurm/`.
    /// `accept` judges a task's outputs; the external executor needs it to know when outputs made elsewhere have arrived.
    func executor(for step: StepSettings, accept: (@Sendable (URL) -> String?)? = nil) throws -> any Executor {
        switch step.executor ?? workflow.executor {
        case .local(let local):
            return LocalExecutor(slots: local.slots)
        case .slurm(let slurm):
            let progress = self.progress
            return SlurmExecutor(
                settings: slurm, template: try SlurmJobTemplate.chosen(by: slurm, workflowAt: workflow.source),
                jobName: "gyre-\(workflow.name)", jobDirectory: layout.slurmDirectory,
                onInterrupt: onInterrupt, note: { progress.note($0) })
        case .external(let external) where accept != nil:
            let (journal, progress) = (self.journal, self.progress)
            // Tasks a stopped run left waiting are awaited again: the step runner only launches pending ones.
            for task in try journal.tasks(in: [.waiting]) {
                try journal.resetToPending(task.id, reason: "awaited again by a new gyre run", consumesAttempt: false)
            }
            return ExternalExecutor(
                pollSeconds: external.pollSeconds, accept: accept ?? { _ in "no adapter" },
                markWaiting: { id in
                    // A resumed run finds its tasks already waiting.
                    if try journal.task(id).state != .waiting { _ = try journal.markWaiting(id, detail: "outputs awaited from elsewhere") }
                },
                note: { progress.note($0) })
        case let other:
            throw GyreError(.invalidInput, "the \(other.name) executor cannot run tasks in this version of gyre; use `local` or `slurm`")
        }
    }

    func runner(
        _ step: StepSettings, label: String, accept: @escaping @Sendable (URL) -> String?, retryFailed: Bool = false,
        explainFailure: (@Sendable (URL) -> String?)? = nil
    ) throws -> StepRunner {
        StepRunner(
            journal: journal, layout: layout, executor: try executor(for: step, accept: accept), retries: step.retries,
            timeout: step.timeout.map { .milliseconds(Int64($0 * 1000)) }, accept: accept, progress: progress,
            label: label, retryFailed: retryFailed, explainFailure: explainFailure)
    }

    /// Begins (or re-enters) a step and adds its planned tasks idempotently.
    func tasks(iteration: IterationRecord, kind: StepKind, _ plans: [TaskPlan]) throws -> (StepRecord, [TaskRecord]) {
        let step = try journal.beginStep(iteration: iteration.id, kind: kind)
        return (step, try journal.addTasks(step: step.id, plans))
    }
}
