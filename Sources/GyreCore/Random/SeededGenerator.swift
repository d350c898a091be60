/// A deterministic random number generator (xoshiro256**), seeded from the
/// workflow `seed` and the identity of what draws from it, so that every random
/// choice of a run is reproducible and independent of the order tasks run in.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator for `seed` and a stream identity such as ["train", iteration, model].
    /// Different identities give independent streams.
    public init(seed: UInt64, stream: [String] = []) {
        var h = SplitMix64(state: seed)
        var mixed = h.next()
        for part in stream {
            // FNV-1a over the part's bytes, folded into the state through SplitMix64.
            var f: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in part.utf8 {
                f = (f ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            h = SplitMix64(state: mixed ^ f)
            mixed = h.next()
        }
        var g = SplitMix64(state: mixed)
        s = (g.next(), g.next(), g.next(), g.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// A uniform double in [0, 1) built from the top 53 bits: identical on every platform.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal deviate (Box–Muller); deterministic across platforms
    /// because it uses only `nextUnit`, `log`, `cos`.
    public mutating func nextGaussian() -> Double {
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

private struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
