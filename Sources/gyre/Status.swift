import ArgumentParser
import Foundation
import GyreCore

extension Gyre {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where a run stands: stage, iteration, step, tasks and the last failure.",
            discussion: """
                Reads the run's journal (safe while `gyre run` is writing to it). \
                Give the workdir, or the workflow file (its workdir is used).

                Example:
                  gyre status runs/cu-quickstart
                  gyre status Workflows/quickstart.yaml
                """
        )

        @Argument(help: "The run's workdir or its workflow file (default: the current directory).")
        var target: String = "."

        func run() throws {
            let workdir = try RunTarget.workdir(target)
            let journal = try Journal.openForReading(workdir: workdir)
            let status = try journal.status()
            let running = RunLock.recordedHolder(workdir: workdir).flatMap { kill($0, 0) == 0 ? $0 : nil }
            if let running {
                print("running: gyre run, pid \(running)")
            } else {
                print("not running")
            }
            if let iteration = status.iteration {
                let name = iteration.index < 0 ? "init" : String(format: "iter.%03d", iteration.index)
                print("stage \(iteration.stageName), \(name) (\(iteration.state.rawValue))"
                    + (status.step.map { ", step \($0.kind.rawValue) (\($0.state.rawValue))" } ?? ""))
            }
            print("tasks in this step: \(Self.counts(status.stepTaskCounts))")
            print("tasks in the run:   \(Self.counts(status.totalTaskCounts))")
            // The external label executor's tasks: what still has to be copied back.
            let awaited = try journal.tasks(in: [.waiting])
            if !awaited.isEmpty {
                print("awaiting outputs made elsewhere, in \(awaited.count) task director\(awaited.count == 1 ? "y" : "ies"):")
                for task in awaited.prefix(Self.awaitedListed) { print("  \(workdir.appendingPathComponent(task.directory).path)") }
                if awaited.count > Self.awaitedListed { print("  … and \(awaited.count - Self.awaitedListed) more") }
            }
            if let failure = status.lastFailure {
                print("last failure: \(failure.task.directory): \(failure.reason ?? "no reason recorded")")
            }
            // Written by the running gyre while its Slurm jobs wait; stale once it stopped.
            if running != nil {
                for warning in SlurmExecutor.pendingWarnings(in: WorkdirLayout(root: workdir).slurmDirectory) { print(warning) }
            }
        }

        /// Awaited task directories listed by name; the rest are counted.
        static let awaitedListed = 20

        static func counts(_ c: [TaskState: Int]) -> String {
            let order: [TaskState] = [.done, .running, .pending, .waiting, .failed]
            let parts = order.compactMap { s in c[s].map { "\($0) \(s.rawValue)" } }
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
    }
}
