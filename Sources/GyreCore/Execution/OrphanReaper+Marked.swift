import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OrphanReaper {
    /// SIGKILLs every living process marked (`TaskMarker`) as running in one
    /// of `directories`, with the process groups they lead, then waits (up to
    /// `wait`) until none runs. For processes a killed gyre spawned but never
    /// journaled: `kill(_:wait:)` cannot know them.
    /// - Returns: how many processes were found, and the PIDs still running
    ///   when the wait ran out (empty: all gone).
    public static func killMarked(
        inDirectories directories: [URL], wait: Duration = .seconds(30)
    ) async -> (found: Int, living: [Int32]) {
        let values = Set(directories.map(TaskMarker.value(for:)))
        var living = TaskMarker.processes(markedWith: values)
        let found = living.count
        let deadline = ContinuousClock.now + wait
        while !living.isEmpty {
            for pid in living {
                // A task leads its own group; its members that dropped the
                // marker go with it. A marked non-leader goes alone.
                if ProcStat.read(pid: pid)?.processGroup == pid { killGroup(pid, signal: SIGKILL) } else { killProcess(pid) }
            }
            try? await Task.sleep(for: .milliseconds(20))
            living = TaskMarker.processes(markedWith: values)
            if ContinuousClock.now >= deadline { break }
        }
        return (found, living)
    }
}

/// The C `kill(2)`, named apart from `OrphanReaper.kill`, which shadows it.
private func killProcess(_ pid: Int32) {
    guard pid > 1 else { return }
    #if canImport(Glibc)
    _ = Glibc.kill(pid, SIGKILL)
    #else
    _ = Darwin.kill(pid, SIGKILL)
    #endif
}
