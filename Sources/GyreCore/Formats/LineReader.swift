import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file line by line through a fixed 1 MB buffer (grown only for
/// a single longer line), so memory stays flat however large the file is.
/// A line is handed out as raw bytes, valid until the next call: parsers work
/// on bytes and never build a `String` per line.
final class LineReader {
    /// The path as given, for error locations.
    let path: String
    /// Size of the file when it was opened, to bound allocations claimed by headers.
    let fileSize: Int
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Byte offset of the start of the line last returned.
    private(set) var lineOffset = 0

    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var consumed = 0  // file offset of buffer[0]
    private var atEOF = false

    /// A line may not be longer than this: a guard against binary garbage.
    static let maxLineLength = 64 << 20

    init(url: URL, chunkSize: Int = 1 << 20) throws {
        path = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw GyreError(.io, "cannot open for reading: \(String(cString: strerror(errno)))",
                            at: SourceLocation(file: url.path))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw GyreError(.io, "cannot stat file", at: SourceLocation(file: url.path))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw GyreError(.io, "is a directory, expected a file", at: SourceLocation(file: url.path))
        }
        self.fd = fd
        fileSize = Int(st.st_size)
        capacity = chunkSize
        buffer = .allocate(capacity: chunkSize)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// Bytes of the file not yet returned as lines: what a header's claimed size must fit in.
    var remainingBytes: Int { max(0, fileSize - (consumed + start)) }

    /// The next line without its `\n` (and without a trailing `\r`), or nil at end of file.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if start < end, let nl = memchr(buffer + start, 10, end - start) {
                let nlIndex = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - buffer
                return emit(upTo: nlIndex, skip: 1)
            }
            if atEOF {
                guard start < end else { return nil }
                let line = emit(upTo: end, skip: 0)
                // Writers end every line with a newline: a last line without one is
                // where a killed writer stopped, possibly in the middle of a number.
                if !Text.isBlank(line) {
                    throw GyreError(.malformedFile,
                                    "the last line does not end with a newline: the file looks truncated (if it was edited by hand, add a final newline)",
                                    at: SourceLocation(file: path, line: lineNumber, column: line.count + 1))
                }
                return line
            }
            try refill()
        }
    }

    private func emit(upTo stop: Int, skip: Int) -> UnsafeBufferPointer<UInt8> {
        var lineEnd = stop
        if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
        let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
        lineNumber += 1
        lineOffset = consumed + start
        start = stop + skip
        return line
    }

    private func refill() throws {
        // Move the partial line to the front, growing only when one line fills the buffer.
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            consumed += start
            end = pending
            start = 0
        }
        if end == capacity {
            guard capacity < Self.maxLineLength else {
                throw GyreError(.malformedFile, "line longer than \(Self.maxLineLength) bytes: not a text file of this format",
                                at: SourceLocation(file: path, line: lineNumber + 1))
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = read(fd, buffer + end, capacity - end)
        if n < 0 {
            if errno == EINTR { return }
            throw GyreError(.io, "read failed: \(String(cString: strerror(errno)))",
                            at: SourceLocation(file: path, byteOffset: consumed + end))
        }
        if n == 0 { atEOF = true } else { end += n }
    }

    /// A malformed-file error at the line last returned.
    func error(_ message: String, column: Int? = nil) -> GyreError {
        GyreError(.malformedFile, message, at: SourceLocation(file: path, line: lineNumber, column: column))
    }

    /// A malformed-file error for a file that ended too early.
    func truncated(_ expected: String) -> GyreError {
        GyreError(.malformedFile, "unexpected end of file: expected \(expected)",
                  at: SourceLocation(file: path, line: lineNumber + 1))
    }

    /// The next line, or a "truncated" error naming what was expected.
    func requireLine(_ expected: String) throws -> UnsafeBufferPointer<UInt8> {
        guard let line = try nextLine() else { throw truncated(expected) }
        return line
    }
}
