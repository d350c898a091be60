import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An engine output as bytes, searched for its ASCII markers with memmem over
/// the whole text rather than line by line: thousands of label outputs are
/// read per ingest, and most of their lines (SCF iterations) hold no marker.
struct OutputScan {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// One line holding a marker: which marker (its index in the list given to
    /// ``lines(containing:)``) and the line's byte range, without its newline.
    struct Hit {
        var marker: Int
        var line: Range<Int>
    }

    /// Every line holding one of `markers`, in file order; a line holding several
    /// appears once per marker, in the order of `markers`.
    func lines(containing markers: [StaticString]) -> [Hit] {
        var hits: [Hit] = []
        for (k, m) in markers.enumerated() {
            var from = 0
            while let at = find(m, from: from) {
                let line = self.line(at: at)
                hits.append(Hit(marker: k, line: line))
                from = line.upperBound  // once per line
            }
        }
        hits.sort { ($0.line.lowerBound, $0.marker) < ($1.line.lowerBound, $1.marker) }
        return hits
    }

    /// Offset of the first occurrence of `marker` at or after `from` (and ending by `end`).
    func find(_ marker: StaticString, from: Int = 0, to end: Int? = nil) -> Int? {
        let stop = end ?? bytes.count
        let m = marker.utf8Start, n = marker.utf8CodeUnitCount
        guard let base = bytes.baseAddress, n > 0, stop - from >= n else { return nil }
        // memchr (vectorised) for the marker's rarest byte, then compare the rest.
        let k = Self.anchor(marker)
        var at = from + k
        let last = stop - n + k
        while at <= last {
            guard let p = memchr(base + at, Int32(m[k]), last - at + 1) else { return nil }
            let hit = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - base
            if memcmp(base + hit - k, m, n) == 0 { return hit - k }
            at = hit + 1
        }
        return nil
    }

    /// Rank of each byte from rare to common in engine outputs (unranked bytes
    /// last): what memchr looks for.
    private static let rarity: [Int] = {
        var rank = [Int](repeating: Int.max, count: 256)
        for (r, c) in "!%()ZQXJKVYWGBUHFMPLDCONSRIATEzqxjkvbygfwpmhcudlrsnoiate".utf8.enumerated() { rank[Int(c)] = r }
        return rank
    }()

    /// Index of the marker's rarest byte (the first byte when none ranks).
    private static func anchor(_ marker: StaticString) -> Int {
        var best = 0, bestRank = Int.max
        for i in 0..<marker.utf8CodeUnitCount {
            let r = rarity[Int(marker.utf8Start[i])]
            if r < bestRank { best = i; bestRank = r }
        }
        return best
    }

    /// Whether `marker` occurs anywhere.
    func contains(_ marker: StaticString) -> Bool { find(marker) != nil }

    /// The line around `offset`, without its newline (or a `\r` before it).
    func line(at offset: Int) -> Range<Int> {
        var start = offset
        while start > 0, bytes[start - 1] != 10 { start -= 1 }
        return start..<lineEnd(from: offset)
    }

    /// Every line's range, in order (for short inputs read card by card).
    var allLines: [Range<Int>] {
        var out: [Range<Int>] = []
        var next: Range<Int>? = bytes.isEmpty ? nil : line(at: 0)
        while let l = next {
            out.append(l)
            next = line(after: l)
        }
        return out
    }

    /// The line after `line`, nil at the end of the text.
    func line(after line: Range<Int>) -> Range<Int>? {
        var start = line.upperBound
        if start < bytes.count, bytes[start] == 13 { start += 1 }
        guard start < bytes.count else { return nil }
        start += 1  // the newline
        guard start < bytes.count else { return nil }
        return start..<lineEnd(from: start)
    }

    private func lineEnd(from offset: Int) -> Int {
        guard let base = bytes.baseAddress, offset < bytes.count else { return bytes.count }
        var end = bytes.count
        if let nl = memchr(base + offset, 10, bytes.count - offset) {
            end = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base
        }
        if end > offset, bytes[end - 1] == 13 { end -= 1 }
        return end
    }

    /// The bytes of a line (or any range).
    subscript(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[r])
    }

    /// Whether the line holds `marker`.
    func line(_ r: Range<Int>, has marker: StaticString) -> Bool {
        find(marker, from: r.lowerBound, to: r.upperBound) != nil
    }

    /// Whether the line starts with `marker`.
    func line(_ r: Range<Int>, begins marker: StaticString) -> Bool {
        let n = marker.utf8CodeUnitCount
        guard r.count >= n, let base = bytes.baseAddress else { return false }
        return memcmp(base + r.lowerBound, marker.utf8Start, n) == 0
    }

    /// The line as text for a message, trimmed of surrounding blanks.
    func text(_ r: Range<Int>) -> String {
        String(decoding: self[r], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// True when the whole output is blank (spaces and line breaks only).
    var isBlank: Bool { !bytes.contains { !Tokens.isSpace($0) && $0 != 10 } }

    /// The numbers among a line's whitespace tokens after the first `dropFirst`,
    /// other tokens skipped (readers then check how many they got).
    func numbers(_ r: Range<Int>, dropFirst: Int = 0) -> [Double] {
        var t = Tokens(self[r])
        for _ in 0..<dropFirst { guard t.next() != nil else { return [] } }
        var out: [Double] = []
        while true {
            switch t.nextDouble() {
            case .end: return out
            case .number(let v): out.append(v)
            case .invalid: continue
            }
        }
    }

    /// The whitespace token number `index` (0-based) of a line.
    func token(_ r: Range<Int>, _ index: Int) -> UnsafeBufferPointer<UInt8>? {
        var t = Tokens(self[r])
        for _ in 0..<index { guard t.next() != nil else { return nil } }
        return t.next()
    }

    /// Three numbers from whitespace token `from` on of a line (or range); nil
    /// if any is missing or not a number (`*****`).
    func vector(_ r: Range<Int>, from: Int) -> SIMD3<Double>? {
        var t = Tokens(self[r])
        for _ in 0..<from { guard t.next() != nil else { return nil } }
        guard case .number(let x) = t.nextDouble(), case .number(let y) = t.nextDouble(),
              case .number(let z) = t.nextDouble() else { return nil }
        return SIMD3(x, y, z)
    }

    /// The first number after the first `separator` byte of a line.
    func number(after separator: UInt8, in r: Range<Int>) -> Double? {
        guard let at = self[r].firstIndex(of: separator) else { return nil }
        var t = Tokens(self[(r.lowerBound + at + 1)..<r.upperBound])
        guard case .number(let v) = t.nextDouble() else { return nil }
        return v
    }

    /// Runs `body` on the bytes of `text` (the readers' String entry points).
    static func withBytes<T>(of text: String, _ body: (OutputScan) -> T) -> T {
        var text = text
        return text.withUTF8 { body(OutputScan($0)) }
    }

    /// Runs `body` on the whole file at `path`, read with one open and (for a
    /// file that does not grow meanwhile) one read; nil when there is no such file.
    static func withFile<T>(_ path: String, _ body: (OutputScan) -> T) throws -> T? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw GyreError(.io, "cannot open for reading: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw GyreError(.io, "not a regular file", at: SourceLocation(file: path))
        }
        var capacity = max(Int(st.st_size), 4096) + 1  // +1: the end of file shows as a short read
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: count)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = read(fd, buffer + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw GyreError(.io, "read failed: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            if n == 0 { break }
            count += n
        }
        return body(OutputScan(UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: count)))
    }

}
