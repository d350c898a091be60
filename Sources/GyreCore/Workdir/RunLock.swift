import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive right to run a loop in one workdir: an `flock` on
/// `workdir/gyre.lock`, which also holds the holder's PID for error messages.
///
/// Two `gyre run` on one workdir would run every task twice, so the second is
/// refused. The kernel releases an `flock` when its holder dies, so a lock
/// left by a killed run is simply taken over; the PID in the file is only
/// informative, never trusted to decide.
public final class RunLock: Sendable {
    /// The lock file, `workdir/gyre.lock`.
    public let url: URL
    private let descriptor: Mutex<Int32?>

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// The name of the lock file inside a workdir.
    public static let fileName = "gyre.lock"

    /// Takes the run lock of `workdir`, creating the lock file if needed.
    /// - Throws: `GyreError` with code `.journal` naming the holder's PID when
    ///   another live process holds it; `.io` when the file cannot be opened.
    public static func acquire(workdir: URL) throws -> RunLock {
        let url = workdir.appendingPathComponent(fileName)
        // O_CLOEXEC: the lock must not be inherited by the tasks we spawn, or
        // an orphaned task would keep the workdir locked after gyre died.
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GyreError(.io, "cannot open run lock \(url.path): \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = readHolder(fd)
            close(fd)
            if code == EWOULDBLOCK {
                let who = holder.map { "process \($0)" } ?? "another process"
                throw GyreError(.journal, "workdir \(workdir.path) is already being run by \(who) (lock \(url.path))")
            }
            throw GyreError(.io, "cannot lock \(url.path): \(String(cString: strerror(code)))")
        }
        let pid = "\(getpid())\n"
        let ok = ftruncate(fd, 0) == 0 && pid.withCString { pwrite(fd, $0, strlen($0), 0) } >= 0
        if !ok {
            let code = errno
            close(fd)
            throw GyreError(.io, "cannot record pid in \(url.path): \(String(cString: strerror(code)))")
        }
        fsync(fd)
        return RunLock(url: url, descriptor: fd)
    }

    /// Reads the PID recorded in a workdir's lock file, if any — for messages
    /// such as `gyre status`; it does not tell whether that process holds the lock.
    public static func recordedHolder(workdir: URL) -> Int32? {
        let fd = open(workdir.appendingPathComponent(fileName).path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readHolder(fd)
    }

    /// Releases the lock now (it is also released when the value is freed or
    /// the process dies). The file stays, so the next run reuses it.
    public func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            flock(open, LOCK_UN)
            close(open)
            fd = nil
        }
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
