#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whitespace-separated tokens of one line of bytes, read left to right
/// without allocating. Columns are 1-based byte positions, for error messages.
struct Tokens {
    let line: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// 1-based column where the token last returned by `next()` starts (or the
    /// end of the line after a nil): cheap to keep, read only for error messages.
    private(set) var lastColumn = 1

    init(_ line: UnsafeBufferPointer<UInt8>) { self.line = line }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 32 || c == 9 || c == 13 || c == 11 || c == 12
    }

    /// 1-based column of the next token (or of the end of the line).
    var column: Int {
        var p = position
        while p < line.count, Tokens.isSpace(line[p]) { p += 1 }
        return p + 1
    }

    /// The next token, or nil when the line is used up.
    @inline(__always) mutating func next() -> UnsafeBufferPointer<UInt8>? {
        let n = line.count
        var p = position
        while p < n, Tokens.isSpace(line[p]) { p += 1 }
        guard p < n, let base = line.baseAddress else {
            position = n
            lastColumn = n + 1
            return nil
        }
        let s = p
        lastColumn = s + 1
        while p < n, !Tokens.isSpace(line[p]) { p += 1 }
        position = p
        return UnsafeBufferPointer(start: base + s, count: p - s)
    }

    /// The next token read as a number in one pass over its bytes.
    enum NumberToken {
        case end
        case number(Double)
        case invalid(UnsafeBufferPointer<UInt8>)
    }

    /// The next token as a Double (see ``NumberParser/double(_:)``), parsed while it
    /// is scanned: the hot path of model_devi.out and coordinate columns.
    @inline(__always) mutating func nextDouble() -> NumberToken {
        let n = line.count
        var p = position
        // Fixed-width columns (%19.6e) are mostly runs of spaces: skip 8 at a time.
        if let base = line.baseAddress {
            let raw = UnsafeRawPointer(base)
            while p + 8 <= n, raw.loadUnaligned(fromByteOffset: p, as: UInt64.self) == 0x2020_2020_2020_2020 { p += 8 }
        }
        while p < n, Tokens.isSpace(line[p]) { p += 1 }
        guard p < n, let base = line.baseAddress else {
            position = n
            lastColumn = n + 1
            return .end
        }
        lastColumn = p + 1
        let (v, length) = NumberParser.scan(base + p, n - p)
        let stop = p + length
        if let v, stop == n || Tokens.isSpace(line[stop]) {
            position = stop
            return .number(v)
        }
        var e = stop
        while e < n, !Tokens.isSpace(line[e]) { e += 1 }
        position = e
        let token = UnsafeBufferPointer(start: base + p, count: e - p)
        if let v = NumberParser.double(token) { return .number(v) }
        return .invalid(token)
    }

    /// The rest of the line from the next token on (for comments and names).
    mutating func rest() -> UnsafeBufferPointer<UInt8> {
        let c = column - 1
        position = line.count
        guard let base = line.baseAddress, c < line.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + c, count: line.count - c)
    }

    /// Number of tokens left, without consuming them.
    var remainingCount: Int {
        var copy = self
        var k = 0
        while copy.next() != nil { k += 1 }
        return k
    }

    /// All remaining tokens as strings (invalid UTF-8 → nil).
    mutating func remainingStrings() -> [String]? {
        var out: [String] = []
        while let t = next() {
            guard let s = Text.string(t) else { return nil }
            out.append(s)
        }
        return out
    }
}

/// Byte-level text helpers shared by the readers.
enum Text {
    /// The bytes as a String, or nil when they are not valid UTF-8.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// The bytes for an error message: valid UTF-8 shown as text (cut at 40 bytes), else as "<invalid UTF-8>".
    static func show(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let cut = UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 40)])
        guard let s = String(validating: cut, as: UTF8.self) else { return "<invalid UTF-8>" }
        return "\"" + s + (bytes.count > 40 ? "…" : "") + "\""
    }

    /// True when the line holds only whitespace.
    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in line where !Tokens.isSpace(c) { return false }
        return true
    }

    /// The line with everything from the first `#` on removed.
    static func strippingComment(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let i = line.firstIndex(of: 35) else { return line }
        return UnsafeBufferPointer(rebasing: line[0..<i])
    }

    /// Case-insensitive comparison of the bytes with an ASCII word.
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<bytes.count where bytes[i] | 0x20 != w[i] | 0x20 { return false }
        return true
    }

    /// Does the line, trimmed, start with this ASCII prefix (case-sensitive)?
    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        var i = 0
        while i < bytes.count, Tokens.isSpace(bytes[i]) { i += 1 }
        let n = prefix.utf8CodeUnitCount
        guard bytes.count - i >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { return false }
        return true
    }
}

/// Exact decimal → Double and → Int conversion on bytes.
enum NumberParser {
    /// Powers of ten that are exact in a Double (10^0 … 10^22). A literal, so the
    /// compiler initialises it statically (no lazy-init check on the hot path).
    static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a whole token as a Double (decimal, scientific, `nan`, `inf`), exactly.
    /// Short decimals (≤ 15 significant digits, |exponent| ≤ 22) take Clinger's fast
    /// path — one correctly rounded multiply or divide of two exact values — longer
    /// ones an extended-precision path, the rest `strtod`. Returns nil unless the
    /// entire token is a number.
    @inline(__always)
    static func double(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = t.baseAddress, t.count > 0 else { return nil }
        let (v, end) = scan(base, t.count)
        if let v, end == t.count { return v }
        return strtodFallback(t)
    }

    /// Reads a plain decimal number from the start of `p[0..<n]`: the value when a
    /// fast path gives it exactly (nil otherwise — strtod must decide) and how many
    /// bytes looked like part of the number.
    @inline(__always)
    static func scan(_ t: UnsafePointer<UInt8>, _ n: Int) -> (value: Double?, end: Int) {
        var i = 0
        var negative = false
        if t[0] == 45 { negative = true; i = 1 } else if t[0] == 43 { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while i < n {
            let d = t[i] &- 48
            guard d < 10 else { break }
            sawDigit = true
            if mantissa != 0 || d != 0 { digits += 1 }
            if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(d) } else { scale += 1 }
            i += 1
        }
        if i < n && t[i] == 46 {
            i += 1
            while i < n {
                let d = t[i] &- 48
                guard d < 10 else { break }
                sawDigit = true
                if mantissa != 0 || d != 0 { digits += 1 }
                if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(d); scale -= 1 }
                i += 1
            }
        }
        guard sawDigit else { return (nil, i) }
        if i < n && (t[i] | 0x20) == 101 {  // e / E
            i += 1
            var expNegative = false
            if i < n && (t[i] == 45 || t[i] == 43) { expNegative = t[i] == 45; i += 1 }
            var e = 0
            var expDigits = 0
            while i < n {
                let d = t[i] &- 48
                guard d < 10 else { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return (nil, i) }
            scale += expNegative ? -e : e
        }
        if digits <= 15 && scale >= -22 && scale <= 22 {
            var v = Double(mantissa)
            if scale < 0 { v /= exactPowers[-scale] } else { v *= exactPowers[scale] }
            return (negative ? -v : v, i)
        }
        #if arch(x86_64) && !os(Windows)
        if digits <= 19 && scale >= -27 && scale <= 27, let v = extendedPath(mantissa, scale) {
            return (negative ? -v : v, i)
        }
        #endif
        return (nil, i)
    }

    #if arch(x86_64) && !os(Windows)
    /// Powers of ten exact in Float80's 64-bit significand (10^0 … 10^27).
    private static let exactPowers80: [Float80] = (0...27).map { e in
        var x: Float80 = 1
        for _ in 0..<e { x *= 10 }
        return x
    }

    /// Up to 19 digits (the 17 of a shortest Double repr): m and 10^|e| are exact
    /// in Float80, so m·10^e or m/10^|e| is correctly rounded to 64 bits. Rounding
    /// that on to 53 bits gives the correctly rounded Double unless the 11 dropped
    /// bits sit at (or one unit from) the halfway point — then the double rounding
    /// might differ from a single one, and strtod decides.
    @inline(__always)
    private static func extendedPath(_ m: UInt64, _ scale: Int) -> Double? {
        let x = Float80(m)
        let v = scale < 0 ? x / exactPowers80[-scale] : x * exactPowers80[scale]
        let low = v.significandBitPattern & 0x7FF
        guard low < 0x3FF || low > 0x401 else { return nil }
        let d = Double(v)
        guard d.isNormal || d == 0 else { return nil }
        return d
    }
    #endif

    private static func strtodFallback(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard t.count < 1024, let base = t.baseAddress else { return nil }
        // Reject anything strtod would read but no number format here uses (hex floats, "0x").
        for c in t where c == 120 || c == 88 || c == 112 || c == 80 { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: t.count + 1) { buf -> Double? in
            guard let b = buf.baseAddress else { return nil }
            UnsafeMutableRawPointer(b).copyMemory(from: base, byteCount: t.count)
            b[t.count] = 0
            var endPtr: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(b, &endPtr)
            guard let e = endPtr, e - b == t.count else { return nil }
            return v
        }
    }

    /// Parses a whole token as a decimal integer (optional sign); nil on overflow or junk.
    @inline(__always)
    static func int(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = t.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if t[0] == 45 { negative = true; i = 1 } else if t[0] == 43 { i = 1 }
        guard i < n else { return nil }
        var v = 0
        while i < n {
            let d = t[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        return negative ? -v : v
    }
}
