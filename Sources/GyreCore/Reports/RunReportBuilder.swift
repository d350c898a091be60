import Foundation

/// Reads a workdir — its journal and the files each iteration wrote — into a
/// ``RunReport``. Works on a run in progress: whatever is missing yet is nil.
public struct RunReportBuilder: Sendable {
    public let workdir: URL
    /// Measures out-of-sample errors; nil leaves `holdout` empty.
    public let predictor: (any EnsemblePredictor)?
    let layout: WorkdirLayout
    let bins = DeviationBins.standard

    public init(workdir: URL, predictor: (any EnsemblePredictor)?) {
        self.workdir = workdir
        self.predictor = predictor
        self.layout = WorkdirLayout(root: workdir)
    }

    /// Builds the report from the journal (opened read-only) and the workdir.
    public func build(now: Date = Date()) throws -> RunReport {
        let snapshot = try Journal.openForReading(workdir: workdir).reportSnapshot()
        return build(snapshot, now: now)
    }

    func build(_ snapshot: JournalSnapshot, now: Date) -> RunReport {
        var cumulative = 0
        var rows: [IterationReport] = []
        var duplicates: [Int: Int] = [:]
        for count in snapshot.dataFrameCounts { duplicates[count.iteration, default: 0] += count.duplicates }
        for record in snapshot.iterations where record.index >= 0 {
            var row = iteration(record, snapshot: snapshot, now: now)
            if var labels = row.labels {
                labels.duplicates = duplicates[record.index] ?? 0
                cumulative += labels.done - labels.duplicates
                labels.cumulative = cumulative
                row.labels = labels
            }
            rows.append(row)
        }
        let (failures, omitted) = Self.failures(snapshot)
        let holder = RunLock.recordedHolder(workdir: workdir)
        let running = holder.map { kill($0, 0) == 0 } ?? false
        let finalDone = rows.contains { $0.isFinal && $0.state == PhaseState.done.rawValue }
        let start = snapshot.iterations.first?.startedAt ?? snapshot.run?.createdAt
        let lastFinish = running ? now : (rows.compactMap(\.finishedAt).max() ?? snapshot.iterations.last?.startedAt ?? now)
        return RunReport(
            schemaVersion: RunReport.schemaVersion, generatedAt: now,
            run: RunOverview(
                name: snapshot.run.flatMap { Self.workflowName($0.workflowYAML) } ?? workdir.lastPathComponent,
                workdir: workdir.path, state: running ? .running : finalDone ? .converged : .stopped,
                startedAt: start, wallSeconds: start.map { max(0, lastFinish.timeIntervalSince($0)) } ?? 0,
                labels: cumulative),
            stages: Self.stages(rows), iterations: rows, deviationBins: bins,
            failures: failures, failuresOmitted: omitted, dataSet: DataSetReport(byIteration: snapshot.dataFrameCounts))
    }

    private func iteration(_ record: IterationRecord, snapshot: JournalSnapshot, now: Date) -> IterationReport {
        let steps = snapshot.stepsByIteration[record.id] ?? []
        let timings = steps.map { step in
            StepTiming(step: step, tasks: snapshot.tasksByStep[step.id] ?? [], events: snapshot.eventsByTask, now: now)
        }
        let summary = try? record.decodedSummary(as: IterationSummary.self)
        let selection = try? SelectionReport.read(layout.url("\(layout.stepDirectory(iteration: record.index, .select))/report.json"))
        let exploreTasks = steps.first { $0.kind == .explore }.flatMap { snapshot.tasksByStep[$0.id] } ?? []
        let labelTasks = steps.first { $0.kind == .label }.flatMap { snapshot.tasksByStep[$0.id] } ?? []
        let isFinal = record.stageName == "final" && selection == nil && exploreTasks.isEmpty
        let trainTasks = steps.first { $0.kind == .train }.flatMap { snapshot.tasksByStep[$0.id] } ?? []
        let models = trainTasks.map { layout.url($0.directory) }
        let journaled = TrainingErrors.measure(trainTasks.compactMap { snapshot.trainingErrorsByTask[$0.id] })
        return IterationReport(
            index: record.index, name: isFinal ? "final" : WorkdirLayout.iterationName(record.index), stage: record.stageName,
            stageIndex: record.stageIndex, state: record.state.rawValue, startedAt: record.startedAt,
            finishedAt: record.finishedAt, isFinal: isFinal,
            conditions: selection?.counts.count ?? exploreTasks.count,
            frames: Self.frames(summary: summary, selection: selection),
            trust: summary.map { TrustUsed(lo: $0.trustLo, hi: $0.trustHi, adaptive: selection?.window.adaptive ?? false) }
                ?? selection.map { TrustUsed(lo: $0.window.forceLo, hi: $0.window.forceHi, adaptive: $0.window.adaptive) },
            labels: labels(summary: summary, selection: selection, tasks: labelTasks),
            holdout: isFinal ? nil : holdout(models: models, index: record.index),
            training: TrainingErrors.read(models) ?? journaled.training, validation: journaled.validation,
            steps: timings, overheadSeconds: timings.reduce(0) { $0 + $1.idleSeconds },
            deviation: exploreTasks.isEmpty ? nil : deviation(exploreTasks),
            converged: record.state == .done && !isFinal ? summary?.converged : nil)
    }

    static func frames(summary: IterationSummary?, selection: SelectionOutcome?) -> FrameCounts? {
        if let s = summary {
            return FrameCounts(sampled: s.sampled, accurate: s.accurate, candidate: s.candidate, failed: s.failed)
        }
        guard let o = selection else { return nil }
        let sum = { (f: (ConditionCounts) -> Int) in o.counts.reduce(0) { $0 + f($1) } }
        return FrameCounts(sampled: sum(\.sampled), accurate: sum(\.accurate), candidate: sum(\.candidate), failed: sum(\.failed))
    }

    private func labels(summary: IterationSummary?, selection: SelectionOutcome?, tasks: [TaskRecord]) -> LabelCounts? {
        if let s = summary {
            return LabelCounts(picked: s.picked, done: s.labelled, failed: s.labelsFailed, cumulative: 0)
        }
        guard let o = selection else { return nil }
        // In progress: what the journal says so far.
        return LabelCounts(
            picked: o.picked.count, done: tasks.filter { $0.state == .done }.count,
            failed: tasks.filter { $0.state == .failed }.count, cumulative: 0)
    }

    /// The iteration's ensemble on the frames labelled in it (data/iter.NNN.extxyz),
    /// which it has not been trained on: iteration k trains on data up to k−1.
    private func holdout(models: [URL], index: Int) -> ErrorMeasure? {
        guard let predictor, !models.isEmpty else { return nil }
        let data = layout.dataFile(iteration: index)
        let files = models.map { $0.appendingPathComponent("model.json") }
        guard FileManager.default.fileExists(atPath: data.path),
              files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }),
              let frames = try? ExtXYZ.read(data), !frames.isEmpty,
              let predictions = try? predictor.predict(models: files, frames: frames)
        else { return nil }
        return HoldoutErrors.measure(predictions, labelled: frames)
    }

    private func deviation(_ tasks: [TaskRecord]) -> DeviationHistogram {
        var values: [Double] = []
        for task in tasks {
            let url = layout.url(task.directory).appendingPathComponent("model_devi.out")
            guard let records = try? ModelDeviationReader.readAll(url) else { continue }
            values.append(contentsOf: records.map(\.maxDevF))
        }
        return DeviationHistogram(values, bins: bins)
    }

    static func stages(_ rows: [IterationReport]) -> [StageVerdict] {
        var verdicts: [StageVerdict] = []
        for row in rows where !row.isFinal {
            if verdicts.last?.index != row.stageIndex {
                verdicts.append(StageVerdict(name: row.stage, index: row.stageIndex, iterations: [], converged: false))
            }
            guard var last = verdicts.popLast() else { continue }
            last.iterations.append(row.index)
            if row.converged == true, last.convergedAt == nil {
                last.converged = true
                last.convergedAt = row.index
            }
            verdicts.append(last)
        }
        return verdicts
    }

    /// Attempts that ended failed or were sent back for a retry, with the reason the event recorded.
    static func failures(_ snapshot: JournalSnapshot) -> ([FailureRow], Int) {
        var iterationOfStep: [Int64: (Int, String)] = [:]
        let indexByID = Dictionary(uniqueKeysWithValues: snapshot.iterations.map { ($0.id, $0.index) })
        for (iterationID, steps) in snapshot.stepsByIteration {
            for step in steps { iterationOfStep[step.id] = (indexByID[iterationID] ?? -1, step.kind.rawValue) }
        }
        var rows: [FailureRow] = []
        for tasks in snapshot.tasksByStep.values {
            for task in tasks {
                let events = snapshot.eventsByTask[task.id] ?? []
                for (k, event) in events.enumerated() where event.fromState == .running
                    && (event.toState == .failed || event.toState == .pending) {
                    let (iteration, step) = iterationOfStep[task.stepID] ?? (-1, "?")
                    rows.append(FailureRow(
                        iteration: iteration, step: step, task: task.name, directory: task.directory, at: event.at,
                        reason: event.detail ?? "no reason recorded",
                        final: event.toState == .failed && k == events.count - 1))
                }
            }
        }
        rows.sort { ($0.at, $0.directory) < ($1.at, $1.directory) }
        let omitted = max(0, rows.count - FailureRow.limit)
        return (Array(rows.suffix(FailureRow.limit)), omitted)
    }

    /// The `name:` of the workflow as journaled.
    static func workflowName(_ yaml: String) -> String? {
        for line in yaml.split(separator: "\n") where line.hasPrefix("name:") {
            let value = line.dropFirst(5).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? ""
            return value.isEmpty ? nil : value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }
}
