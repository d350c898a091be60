import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is left of a task's process group that a previous `gyre run`
/// recorded, judged on resume before the task is run again.
public enum OrphanStatus: Sendable, Hashable {
    /// Nothing of it runs any more: the task can be rerun.
    case gone
    /// Its leader (same PID, same start time) or members of its group still
    /// run: kill them before rerunning, or two copies race in one directory.
    case alive
    /// The PID now belongs to an unrelated process; leave that one alone.
    case recycled
}

/// Finds and kills task process groups left behind by a killed `gyre run`.
///
/// Relies on the kernel never reusing a PID while a process group or session
/// of that number exists: if the recorded leader is gone but processes of its
/// group remain, they are ours.
public enum OrphanReaper {
    /// Whether the process group recorded as `identity` still runs.
    public static func status(of identity: ProcessIdentity) -> OrphanStatus {
        if let stat = ProcStat.read(pid: identity.pid), stat.state != "Z", stat.state != "X" {
            return stat.startTime == identity.startTime ? .alive : .recycled
        }
        return livingMembers(ofGroup: identity.pid).isEmpty ? .gone : .alive
    }

    /// SIGKILLs the process group recorded as `identity` if it is still ours,
    /// then waits (up to `wait`) until none of its processes runs.
    /// - Returns: whether the group is gone now (true also when it already was
    ///   or the PID was recycled, since then nothing of ours runs).
    @discardableResult
    public static func kill(_ identity: ProcessIdentity, wait: Duration = .seconds(10)) async -> Bool {
        guard status(of: identity) == .alive else { return true }
        killGroup(identity.pid, signal: SIGKILL)
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline {
            if livingMembers(ofGroup: identity.pid).isEmpty,
               ProcessIdentity.of(pid: identity.pid)?.startTime != identity.startTime
            {
                return true
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The PIDs of processes in group `pgid` that are not zombies, from /proc.
    public static func livingMembers(ofGroup pgid: Int32) -> [Int32] {
        guard pgid > 0, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = ProcStat.read(pid: pid) else { return false }
            return stat.processGroup == pgid && stat.state != "Z" && stat.state != "X"
        }
    }

    /// Sends `signal` to every process of group `pgid`. Never to group 0 or
    /// 1: those would reach gyre itself or everything.
    static func killGroup(_ pgid: Int32, signal: Int32) {
        guard pgid > 1 else { return }
        _ = killpg(pgid, signal)
    }
}
