import Foundation

extension RunDriver {
    /// Labels the frames picked by selection and ingests the accepted labels
    /// into data/<iteration>.extxyz. Returns (labelled, failed) counts.
    func labelAndIngest(iteration: IterationRecord, index: Int) async throws -> (Int, Int) {
        let picked = layout.url("\(layout.stepDirectory(iteration: index, .select))/picked.extxyz")
        let frames = FileManager.default.fileExists(atPath: picked.path) ? try ExtXYZ.read(picked) : []
        return try await label(frames, iteration: iteration, index: index)
    }

    /// Writes one label task per frame, runs them, and ingests the results.
    /// `given` frames (labelled already) are ingested first, with the new labels.
    func label(_ frames: [Frame], iteration: IterationRecord, index: Int, given: [IncomingFrame] = []) async throws -> (Int, Int) {
        let base = layout.stepDirectory(iteration: index, .label)
        let adapter = try LabelAdapters.adapter(for: workflow.label, elements: workflow.elements, masses: workflow.masses)
        let plans = frames.indices.map { i in
            TaskPlan(index: i, name: WorkdirLayout.taskName(i), directory: "\(base)/\(WorkdirLayout.taskName(i))",
                     command: adapter.command)
        }
        let (step, records) = try tasks(iteration: iteration, kind: .label, plans)
        if step.state != .done {
            for (record, frame) in zip(records, frames) where record.state != .done {
                let dir = layout.url(record.directory)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try adapter.prepare(frame, in: dir)
            }
            if !records.isEmpty {
                progress.milestone("\(WorkdirLayout.iterationName(index)): labelling \(records.count) frames")
            }
            let finished = try await runner(workflow.label.step, label: "\(WorkdirLayout.iterationName(index)) label",
                                            accept: { adapter.rejection($0) }, retryFailed: true).run(records)
            let failed = finished.filter { $0.state == .failed }
            if !failed.isEmpty {
                let fraction = Double(failed.count) / Double(finished.count)
                if fraction > workflow.label.maxFailed {
                    // The step stays unfinished: the next `gyre run` gives the failed tasks another chance.
                    throw RunStop(message: """
                        \(WorkdirLayout.iterationName(index)): \(failed.count) of \(finished.count) label tasks failed \
                        (\(Self.percent(fraction)) > label.max_failed \(Self.percent(workflow.label.maxFailed))); first \
                        reason: \(failed.first?.failureReason ?? "unknown"). Fix the label engine (`gyre status` shows \
                        the last failure), then run again: failed tasks are retried and finished ones kept
                        """)
                }
                progress.note("\(WorkdirLayout.iterationName(index)): \(failed.count) of \(finished.count) label tasks failed; "
                    + "within label.max_failed, continuing without them")
            }
            try journal.finishStep(step.id)
        }
        return try ingest(iteration: iteration, index: index, labelStep: step, adapter: adapter, given: given)
    }

    /// Gathers accepted labels, in task order, into the iteration's data file
    /// — leaving out frames whose content is in the data set already — records
    /// each frame's provenance, and rebuilds data/all.extxyz and data/deepmd/.
    /// Idempotent until the step is done: a rerun after a crash writes the
    /// same files and journal rows. Returns (labelled, failed) task counts.
    func ingest(
        iteration: IterationRecord, index: Int, labelStep: StepRecord, adapter: any LabelAdapter, given: [IncomingFrame] = []
    ) throws -> (Int, Int) {
        let step = try journal.beginStep(iteration: iteration.id, kind: .ingest)
        let tasks = try journal.tasks(step: labelStep.id)
        let failed = tasks.filter { $0.state == .failed }.count
        let done = tasks.filter { $0.state == .done }
        if step.state != .done {
            var incoming = given
            for task in done {
                switch adapter.read(layout.url(task.directory)) {
                case .success(let frame):
                    incoming.append(IncomingFrame(frame: frame, taskID: task.id, source: task.directory,
                                                  engine: workflow.label.engine.name))
                case .failure(let rejection):
                    throw GyreError(.engineOutput, "\(task.directory) was accepted, but its outputs no longer read back: \(rejection)")
                }
            }
            let intake = try DataSetIntake(incoming, index: index, iterationID: iteration.id, layout: layout)
            try FileManager.default.createDirectory(at: layout.dataDirectory, withIntermediateDirectories: true)
            let file = layout.dataFile(iteration: index)
            if intake.frames.isEmpty {
                try? FileManager.default.removeItem(at: file)
            } else {
                try AtomicFile.write(intake.frames.map(ExtXYZ.format).joined(), to: file)
            }
            try journal.recordDataFrames(iteration: iteration.id, intake.records)
            if intake.duplicates > 0 {
                progress.note("\(WorkdirLayout.iterationName(index)): \(intake.duplicates) of \(incoming.count) labelled frames "
                    + "repeat frames already in the data set; not added again")
            }
            // Before the step is done: a crash mid-rebuild makes the next run rebuild.
            try DataSet(layout: layout, elements: workflow.elements).rebuild()
            try journal.finishStep(step.id)
        }
        return (done.count, failed)
    }

    /// Before iteration 0: the workflow's data sources — files copied in,
    /// generated lattices labelled by the label engine — into data/init.extxyz.
    func initialData() async throws {
        let record = try journal.beginIteration(index: -1, stageName: "init", stageIndex: -1)
        if record.state == .done {
            // A workdir from a gyre that wrote only the per-iteration files gets the whole data set now.
            let dataSet = DataSet(layout: layout, elements: workflow.elements)
            if !FileManager.default.fileExists(atPath: dataSet.allFramesFile.path) { try dataSet.rebuild() }
            return
        }
        var given: [IncomingFrame] = []
        var generated: [Frame] = []
        for (s, source) in workflow.data.enumerated() {
            switch source {
            case .path(let url):
                let frames = try FrameFile.read(url, typeMap: workflow.elements)
                for (i, f) in frames.enumerated() where !f.isLabelled {
                    throw GyreError(.invalidInput, "frame \(i) has no energy or forces: initial data must be labelled",
                                    at: SourceLocation(file: url.path))
                }
                given += frames.map { IncomingFrame(frame: $0, taskID: nil, source: url.path, engine: "given") }
            case .generate(let g):
                var random = SeededGenerator(seed: workflow.seed, stream: ["data", "\(s)"])
                let base = LatticeBuilder.build(g.lattice, random: &random)
                for _ in 0..<g.count {
                    generated.append(Perturbation.perturb(base, strain: g.strain, rattle: g.rattle, random: &random))
                }
            }
        }
        progress.milestone("initial data: \(given.count) labelled frames given, \(generated.count) generated to label")
        _ = try await label(generated, iteration: record, index: -1, given: given)
        let stored = try journal.dataFrameCounts().filter { $0.iteration == -1 }.reduce(0) { $0 + $1.frames }
        progress.milestone("initial data: \(stored) labelled frames")
        try journal.finishIteration(record.id)
    }
}
