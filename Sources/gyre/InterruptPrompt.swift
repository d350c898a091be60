import ArgumentParser
import Foundation
import GyreCore

extension InterruptChoice: ExpressibleByArgument {}

/// Decides what happens to Slurm jobs when `gyre run` is interrupted: the
/// `--on-interrupt` choice if given; else, on a terminal, the user's answer
/// to a question; else (or on a second Ctrl-C, which ends gyre at once)
/// the jobs are left running, since the next `gyre run` re-attaches to them.
/// The question is asked once per run, whichever step is waiting on jobs.
actor InterruptPrompt {
    private let preset: InterruptChoice?
    private let interactive: Bool
    /// Its live status line is cleared first, or its redraws would erase the question.
    private let progress: ProgressLog
    private var answer: Task<InterruptChoice, Never>?

    init(
        preset: InterruptChoice?, progress: ProgressLog,
        interactive: Bool = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    ) {
        self.preset = preset
        self.progress = progress
        self.interactive = interactive
    }

    func decide(jobs: Int) async -> InterruptChoice {
        if let preset { return preset }
        guard interactive else { return .leave }
        if let answer { return await answer.value }
        progress.endTasks()
        let asking = Task { await Self.ask(jobs: jobs) }
        answer = asking
        return await asking.value
    }

    /// Asks on the terminal; reads the answer on a thread of its own, as
    /// reading blocks. Anything but `c…` (an empty line, end of input) leaves them.
    private static func ask(jobs: Int) async -> InterruptChoice {
        let question = "cancel \(jobs) Slurm job\(jobs == 1 ? "" : "s") (scancel) or leave them running "
            + "for the next `gyre run` to re-attach to? [c/L] (Ctrl-C again: leave) "
        FileHandle.standardError.write(Data(question.utf8))
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let line = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                continuation.resume(returning: line.hasPrefix("c") ? .cancel : .leave)
            }
        }
    }
}
