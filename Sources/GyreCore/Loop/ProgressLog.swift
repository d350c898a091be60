import Foundation

/// Progress of a run on stderr. Always plain, timestamped lines, one per
/// event, readable in a terminal and in a log file alike; on a terminal also
/// one status line at the bottom, rewritten in place while a step's tasks
/// run (stage, iteration, step, tasks done/running/failed, elapsed).
public struct ProgressLog: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case quiet, normal, verbose
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public var level: Level
    /// The in-place status line; nil when stderr is not a terminal or with --quiet.
    let status: LiveStatusLine?

    /// - Parameter terminal: whether stderr is a terminal (default: asks the OS).
    ///   A log file or pipe gets only the plain lines.
    public init(level: Level = .normal, terminal: Bool = ProgressLog.stderrIsTerminal) {
        self.level = level
        self.status = terminal && level > .quiet ? LiveStatusLine() : nil
    }

    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// A milestone: a step started or ended, a stage converged.
    public func milestone(_ message: String) {
        if level >= .normal { emit(message) }
    }

    /// A task finished: shown with --verbose.
    public func step(_ message: String) {
        if level >= .verbose { emit(message) } else { status?.refresh() }
    }

    /// Something went wrong or needs attention: always shown.
    public func note(_ message: String) {
        emit(message)
    }

    /// A step's tasks start running: shows the status line (on a terminal),
    /// its task counts read from the journal — the truth, also for tasks an
    /// earlier run finished — on every event and once a second.
    /// `label` is "iter.NNN step".
    public func beginTasks(_ label: String, journal: Journal, step: Int64?) {
        guard let status, let step else { return }
        // The initial data's labelling belongs to no exploration stage.
        let stage = (try? journal.status())?.iteration.flatMap { $0.index < 0 ? nil : $0.stageName }
        status.begin(label: label, stage: stage) { try? journal.taskCounts(step: step) }
    }

    /// The step's tasks are over: the status line is cleared.
    public func endTasks() {
        status?.end()
    }

    private func emit(_ message: String) {
        let line = "[\(Self.timestamp(Date()))] \(message)\n"
        if let status {
            status.print(line)
        } else {
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.time(includingFractionalSeconds: false).timeSeparator(.colon))
    }
}
