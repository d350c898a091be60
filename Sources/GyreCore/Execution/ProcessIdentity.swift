import Foundation

/// A process as the journal records it: its PID (which, for a task, is also
/// its process group id, since every task leads its own session) and its
/// start time, so a PID recycled by the kernel is never mistaken for ours.
public struct ProcessIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The process id; for a task, also its process group and session id.
    public var pid: Int32
    /// Start time in clock ticks after boot: `/proc/<pid>/stat` field 22.
    public var startTime: UInt64

    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The identity of the live process `pid`, or nil if there is none (or it
    /// is a zombie, which has finished in all but being reaped).
    public static func of(pid: Int32) -> ProcessIdentity? {
        guard let stat = ProcStat.read(pid: pid), stat.state != "Z", stat.state != "X" else { return nil }
        return ProcessIdentity(pid: pid, startTime: stat.startTime)
    }

    public var description: String { "pid \(pid) (start \(startTime))" }
}

/// The few fields of `/proc/<pid>/stat` that orphan detection needs.
struct ProcStat: Sendable, Hashable {
    /// R, S, D, Z (zombie), T, X (dead), …
    var state: Character
    /// Field 5: the process group id.
    var processGroup: Int32
    /// Field 22: start time in clock ticks after boot.
    var startTime: UInt64

    static func read(pid: Int32) -> ProcStat? {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Parses a stat line. The command name (field 2) is in parentheses and
    /// may itself hold spaces and parentheses, so fields are counted from the
    /// last `)`.
    static func parse(_ line: String) -> ProcStat? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let rest = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state), so field n is rest[n - 3].
        guard rest.count >= 20, let state = rest[0].first,
              let group = Int32(rest[5 - 3]), let start = UInt64(rest[22 - 3])
        else { return nil }
        return ProcStat(state: state, processGroup: group, startTime: start)
    }
}
