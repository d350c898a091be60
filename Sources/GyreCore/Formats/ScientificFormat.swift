/// C's `%W.6e` (seven significant digits, round half to even on the exact
/// binary value, as glibc prints) without printf: model_devi.out is written a
/// row per sampled frame, and vsnprintf's format parsing dominated that.
///
/// The digits are exact for every Double: values below about 9e15 and above
/// 1e-21 (all deviations in practice) take a 64×64-bit integer fast path, the
/// rest a small big-integer path.
enum ScientificFormat {
    /// Significant digits after the point.
    static let precision = 6
    /// Longest field without padding: `-d.dddddde-308`.
    static let maxLength = 14

    /// Writes `v` right-aligned in `width` bytes (wider when it does not fit) at
    /// `out` and returns the number of bytes written; `out` must hold `max(width, maxLength)`.
    @inline(__always)
    static func write(_ v: Double, width: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var digits: UInt64 = 0
        var exponent = 0
        if v.isFinite && v != 0 { (digits, exponent) = significand(v.magnitude) }
        let sign = v.sign == .minus ? 1 : 0  // glibc prints -nan and -0 too
        let length = sign + (v.isFinite ? precision + 6 + (exponent.magnitude >= 100 ? 1 : 0) : 3)
        let pad = max(0, width - length)
        for i in 0..<pad { out[i] = 32 }
        var n = pad
        if sign == 1 { out[n] = 45; n += 1 }
        guard v.isFinite else {
            let word: StaticString = v.isNaN ? "nan" : "inf"
            (out + n).update(from: word.utf8Start, count: 3)
            return n + 3
        }
        // d.dddddd
        var d = digits
        for i in stride(from: precision + 1, through: 2, by: -1) {
            out[n + i] = UInt8(truncatingIfNeeded: d % 10) + 48
            d /= 10
        }
        out[n] = UInt8(truncatingIfNeeded: d) + 48
        out[n + 1] = 46
        n += precision + 2
        out[n] = 101  // e
        out[n + 1] = exponent < 0 ? 45 : 43
        n += 2
        var e = exponent.magnitude
        if e >= 100 {
            out[n] = UInt8(truncatingIfNeeded: e / 100) + 48
            n += 1
            e %= 100
        }
        out[n] = UInt8(truncatingIfNeeded: e / 10) + 48
        out[n + 1] = UInt8(truncatingIfNeeded: e % 10) + 48
        return n + 2
    }

    private static let lowest: UInt64 = 1_000_000  // 10^precision
    private static let limit: UInt64 = 10_000_000  // 10^(precision+1)

    /// The seven digits N (10^6 ≤ N < 10^7) and the exponent k with
    /// v ≈ N·10^(k−6), N = round-half-even(v·10^(6−k)), for finite v > 0.
    @inline(__always)
    static func significand(_ v: Double) -> (UInt64, Int) {
        // The binary exponent times log10(2) is floor(log10 v) or one less (log10
        // itself was the writer's main cost); the digits decide.
        var k = Int((Double(v.exponent) * 0.301_029_995_663_981_2).rounded(.down))
        while true {
            let n = scaled(v, power: precision - k)
            if n >= limit { k += 1 } else if n < lowest { k -= 1 } else { return (n, k) }
        }
    }

    /// round-half-even(v · 10^p), exact.
    private static func scaled(_ v: Double, power p: Int) -> UInt64 {
        let m = v.significandBitPattern | (v.isSubnormal ? 0 : 1 << 52)
        let e = Int(v.exponentBitPattern == 0 ? -1074 : Int(v.exponentBitPattern) - 1075)
        // 2·m·10^p / 2^−e = m·5^p / 2^(−e−p−1): floor of it is twice the result plus
        // the half bit; the bits shifted out are the sticky ones.
        let shift = -e - p - 1
        if p >= 0, p < powersOfFive.count, shift >= 0, shift < 128 {
            let (high, low) = m.multipliedFullWidth(by: powersOfFive[p])
            let twice: UInt64, sticky: Bool
            if shift >= 64 {
                let s = shift - 64
                twice = s == 0 ? high : high >> UInt64(s)
                sticky = low != 0 || (s > 0 && high & (1 << UInt64(s) - 1) != 0)
            } else if shift == 0 {
                guard high == 0 else { return limit }
                (twice, sticky) = (low, false)
            } else {
                // More than 64 bits only means the guessed k was too small.
                guard high >> UInt64(shift) == 0 else { return limit }
                twice = high << UInt64(64 - shift) | low >> UInt64(shift)
                sticky = low & (1 << UInt64(shift) - 1) != 0
            }
            return rounded(twice: twice, sticky: sticky)
        }
        var big = BigDigits(m)
        big.multiply(by: 2)
        if e > 0 { big.shiftLeft(e) }
        if p > 0 { for _ in 0..<p { big.multiply(by: 10) } }
        var sticky = false
        if e < 0 { sticky = big.shiftRight(-e) || sticky }
        if p < 0 { for _ in 0..<(-p) { sticky = big.divide(by: 10) || sticky } }
        // An oversized value only means the guessed k was too small.
        guard let twice = big.uint64 else { return limit }
        return rounded(twice: twice, sticky: sticky)
    }

    /// x rounded to nearest, ties to even, from floor(2x) (`twice`) and whether 2x had a fraction.
    @inline(__always)
    private static func rounded(twice: UInt64, sticky: Bool) -> UInt64 {
        let n = twice >> 1
        let half = twice & 1 == 1
        guard half else { return n }
        return sticky || n & 1 == 1 ? n + 1 : n
    }

    /// 5^0 … 5^27 (5^27 < 2^64), a literal so it is initialised statically.
    private static let powersOfFive: [UInt64] = [
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125, 6103515625, 30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625, 476837158203125, 2384185791015625, 11920928955078125, 59604644775390625, 298023223876953125, 1490116119384765625, 7450580596923828125,
    ]
}

/// A non-negative integer as little-endian 32-bit limbs: just what exact
/// decimal scaling of a Double needs (about 1,100 bits at most).
private struct BigDigits {
    var limbs: [UInt32]

    init(_ x: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: x >> 32)]
    }

    mutating func multiply(by f: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let t = UInt64(limbs[i]) * UInt64(f) + carry
            limbs[i] = UInt32(truncatingIfNeeded: t)
            carry = t >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func shiftLeft(_ bits: Int) {
        let words = bits / 32, b = bits % 32
        if b > 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let x = limbs[i]
                limbs[i] = x << UInt32(b) | carry
                carry = x >> UInt32(32 - b)
            }
            if carry != 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: words), at: 0)
    }

    /// Shifts right; true when a dropped bit was set.
    mutating func shiftRight(_ bits: Int) -> Bool {
        let words = min(bits / 32, limbs.count), b = bits % 32
        var lost = limbs[0..<words].contains { $0 != 0 }
        limbs.removeFirst(words)
        defer { while limbs.count < 2 { limbs.append(0) } }
        if limbs.isEmpty { return lost }
        if b > 0 {
            lost = lost || limbs[0] & (1 << UInt32(b) - 1) != 0
            for i in limbs.indices {
                let high = i + 1 < limbs.count ? limbs[i + 1] << UInt32(32 - b) : 0
                limbs[i] = limbs[i] >> UInt32(b) | high
            }
        }
        return lost
    }

    /// Divides; true when the remainder is not zero.
    mutating func divide(by d: UInt32) -> Bool {
        var rem: UInt64 = 0
        for i in limbs.indices.reversed() {
            let t = rem << 32 | UInt64(limbs[i])
            limbs[i] = UInt32(t / UInt64(d))
            rem = t % UInt64(d)
        }
        while limbs.count > 2, limbs.last == 0 { limbs.removeLast() }
        return rem != 0
    }

    var uint64: UInt64? {
        guard limbs.dropFirst(2).allSatisfy({ $0 == 0 }) else { return nil }
        return UInt64(limbs[0]) | (limbs.count > 1 ? UInt64(limbs[1]) << 32 : 0)
    }
}
