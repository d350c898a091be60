import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment variable every locally launched task carries, naming its
/// directory. A gyre killed between spawning a task and journaling its PID
/// leaves a process no journal row names; the marker, inherited by all the
/// task spawns, is how a resumed gyre still finds it before rerunning the
/// task in the same directory, where two copies would overwrite each other's
/// outputs.
public enum TaskMarker {
    public static let variable = "GYRE_TASK_DIRECTORY"

    /// The marker's value for a task directory: its absolute, standardized path.
    public static func value(for directory: URL) -> String {
        directory.standardizedFileURL.path
    }

    /// Living processes (not gyre itself) whose environment marks them as
    /// belonging to one of the task directories `values`, from /proc.
    /// Other users' processes are unreadable and so never match.
    public static func processes(markedWith values: Set<String>) -> [Int32] {
        guard !values.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let prefix = Array((variable + "=").utf8)
        let me = getpid()
        return entries.compactMap { Int32($0) }.filter { pid in
            guard pid != me, let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            let marked = environment.split(separator: 0, omittingEmptySubsequences: true).contains { entry in
                entry.starts(with: prefix) && values.contains(String(decoding: entry.dropFirst(prefix.count), as: UTF8.self))
            }
            guard marked, let stat = ProcStat.read(pid: pid) else { return false }
            return stat.state != "Z" && stat.state != "X"
        }
    }
}
