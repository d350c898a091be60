import Foundation

/// Plain, timestamped progress lines on stderr: what the run is doing, one
/// line per event, readable in a terminal and in a log file alike.
public struct ProgressLog: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case quiet, normal, verbose
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public var level: Level

    public init(level: Level = .normal) {
        self.level = level
    }

    /// A milestone: a step started or ended, a stage converged.
    public func milestone(_ message: String) {
        if level >= .normal { emit(message) }
    }

    /// A task finished: shown with --verbose.
    public func step(_ message: String) {
        if level >= .verbose { emit(message) }
    }

    /// Something went wrong or needs attention: always shown.
    public func note(_ message: String) {
        emit(message)
    }

    private func emit(_ message: String) {
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false).timeSeparator(.colon))
        FileHandle.standardError.write(Data("[\(time)] \(message)\n".utf8))
    }
}
