import ArgumentParser
import Foundation
import GyreCore

extension Gyre {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a workflow's concurrent-learning loop, or resume it.",
            discussion: """
                Validates the workflow, then runs iterations of train → explore → \
                select → label → ingest, stage after stage, until every stage \
                converges, and trains the final ensemble into <workdir>/models/final. \
                Everything is journaled in <workdir>/gyre.sqlite: run the same command \
                again after a crash, a kill or Ctrl-C and it resumes where it stopped, \
                never repeating a finished task.

                Exit status: 0 every stage converged; 1 the run stopped (a stage \
                reached max_iterations unconverged, too many label failures, or it \
                was interrupted); 2 invalid input.

                Example:
                  gyre run Workflows/quickstart.yaml
                  gyre status Workflows/quickstart.yaml    # from another terminal
                """
        )

        @Argument(help: "The workflow YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var workflow: String

        @Flag(help: "Resume even though the workflow changed in ways that may affect finished work.")
        var acceptChanges = false

        @Flag(name: .shortAndLong, help: "Print only problems and the final result.")
        var quiet = false

        @Flag(name: .shortAndLong, help: "Also print every finished task.")
        var verbose = false

        @Option(help: ArgumentHelp(
            "What Ctrl-C does to queued or running Slurm jobs: cancel (scancel) or leave them for the next run.",
            discussion: "Without it, a run on a terminal asks; otherwise (or on a second Ctrl-C) the jobs are left."))
        var onInterrupt: InterruptChoice?

        func run() async throws {
            let (loaded, diagnostics) = WorkflowLoader.analyze(URL(fileURLWithPath: workflow))
            DiagnosticPrinter().print(diagnostics)
            guard let loaded else { throw ExitCode(2) }
            let progress = ProgressLog(level: quiet ? .quiet : verbose ? .verbose : .normal)
            do {
                try FileManager.default.createDirectory(at: loaded.workdir, withIntermediateDirectories: true)
                let lock = try RunLock.acquire(workdir: loaded.workdir)
                defer { lock.release() }
                let journal = try Journal.open(workdir: loaded.workdir)
                try checkResume(loaded, journal: journal, progress: progress)
                let prompt = InterruptPrompt(preset: onInterrupt, progress: progress)
                let driver = RunDriver(
                    workflow: loaded, journal: journal, progress: progress,
                    onInterrupt: { await prompt.decide(jobs: $0) })
                let signal = ShutdownSignal()
                let outcome: RunDriver.Outcome
                do {
                    outcome = try await signal.cancelling { try await driver.run() }
                } catch is CancellationError {
                    progress.note("stopped by signal; the journal is consistent — run `gyre run \(workflow)` again to resume")
                    throw ExitCode(1)
                }
                switch outcome {
                case .converged(let iterations):
                    progress.note("converged: every stage reached its target in \(iterations) iteration\(iterations == 1 ? "" : "s"); "
                        + "final models in \(loaded.workdir.appendingPathComponent("models/final").path)")
                case .stopped(let reason):
                    progress.note("stopped: \(reason)")
                    throw ExitCode(1)
                }
            } catch let error as GyreError {
                progress.note("error: \(error)")
                throw ExitCode(error.code == .invalidInput ? 2 : 1)
            }
        }

        /// A new run records its workflow; a resumed one must not have changed in ways that matter.
        private func checkResume(_ workflow: Workflow, journal: Journal, progress: ProgressLog) throws {
            let fingerprint = WorkflowChanges.fingerprint(workflow.text)
            guard let run = try journal.run() else {
                _ = try journal.recordRun(workflowYAML: workflow.text, fingerprint: fingerprint)
                try AtomicFile.write(workflow.text, to: workflow.workdir.appendingPathComponent("workflow.yaml"))
                progress.milestone("new run \(workflow.name) in \(workflow.workdir.path)")
                return
            }
            guard run.fingerprint != fingerprint else {
                progress.milestone("resuming \(workflow.name) from \(workflow.workdir.appendingPathComponent("gyre.sqlite").path)")
                return
            }
            let started = Set(try journal.iterations().filter { $0.stageIndex >= 0 }.map(\.stageIndex)).count
            let changes = WorkflowChanges(old: run.workflowYAML, new: workflow.text, startedStages: started)
            if !changes.unsafe.isEmpty && !acceptChanges {
                throw GyreError(.invalidInput, """
                    the workflow changed since this run started (\(changes.unsafe.joined(separator: ", "))); \
                    those keys can change finished work. Undo the change, use a new workdir, or pass \
                    --accept-changes to resume anyway
                    """)
            }
            progress.note("resuming with workflow changes: \(changes.changed.joined(separator: ", "))")
        }
    }
}
