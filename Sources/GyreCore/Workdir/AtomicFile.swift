import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader — or a resumed run after a crash — sees
/// either the old content or the new content, never a partial file.
///
/// The data goes to a temporary file in the same directory (so the final
/// `rename` stays on one file system and is atomic), is flushed with `fsync`,
/// renamed over the target, and the directory is flushed so the rename itself
/// survives a power loss.
public enum AtomicFile {
    /// Replaces (or creates) the file at `url` with `data`, atomically and durably.
    /// - Throws: `GyreError` with code `.io` naming the file and the failing call.
    public static func write(_ data: Data, to url: URL) throws {
        let target = url.standardizedFileURL
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        )

        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("create", temporary, errno) }
        var renamed = false
        defer {
            // A failure anywhere before the rename must not leave litter behind.
            if !renamed { unlink(temporary.path) }
        }

        do {
            try writeAll(data, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw ioError("fsync", temporary, errno) }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw ioError("close", temporary, errno) }

        guard rename(temporary.path, target.path) == 0 else { throw ioError("rename onto", target, errno) }
        renamed = true
        try syncDirectory(directory)
    }

    /// Replaces (or creates) the file at `url` with the UTF-8 bytes of `string`.
    public static func write(_ string: String, to url: URL) throws {
        try write(Data(string.utf8), to: url)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: URL) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ioError("write", path, errno)
                }
                offset += written
            }
        }
    }

    private static func syncDirectory(_ directory: URL) throws {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open directory", directory, errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ioError("fsync directory", directory, errno) }
    }

    private static func ioError(_ operation: String, _ url: URL, _ code: Int32) -> GyreError {
        GyreError(.io, "cannot \(operation) \(url.path): \(String(cString: strerror(code)))")
    }
}

/// The C `write(2)`, named apart from `AtomicFile.write` which shadows it.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
