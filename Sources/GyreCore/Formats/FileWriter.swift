import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file through a 1 MB buffer: long outputs (trajectories,
/// model_devi.out) go to disk in large writes without being held in memory.
final class FileWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold: Int
    private var closed = false

    /// Opens `url` for writing: truncated, or appended to when `append` is true.
    init(url: URL, append: Bool = false, bufferSize: Int = 1 << 20) throws {
        path = url.path
        let flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        let fd = open(url.path, flags, 0o644)
        guard fd >= 0 else {
            throw GyreError(.io, "cannot open for writing: \(String(cString: strerror(errno)))",
                            at: SourceLocation(file: url.path))
        }
        self.fd = fd
        flushThreshold = bufferSize
        buffer.reserveCapacity(bufferSize + 4096)
    }

    deinit {
        if !closed {
            try? flush()
            _ = systemClose(fd)
        }
    }

    func write(_ s: String) throws {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= flushThreshold { try flush() }
    }

    func write(bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= flushThreshold {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = posixWrite(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw GyreError(.io, "write failed: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            p += n
            left -= n
        }
    }

    /// Flushes and closes; errors from the last write surface here rather than being lost in deinit.
    func close() throws {
        guard !closed else { return }
        closed = true
        defer { _ = systemClose(fd) }
        try flush()
    }
}

// The POSIX calls are named through these so they don't clash with the methods above.
@inline(__always) private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, p, n)
}

@inline(__always) private func systemClose(_ fd: Int32) -> Int32 {
    close(fd)
}
