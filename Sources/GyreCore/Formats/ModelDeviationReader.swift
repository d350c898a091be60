import Foundation

/// Streams the rows of a `model_devi.out`, fast enough to classify tens of
/// millions of frames: the file is read in 1 MB chunks and each row is parsed
/// from its bytes, with no String made per line.
///
/// Accepts `#` comment lines anywhere, blank lines, 7 columns (LAMMPS plugin)
/// or 8 (`dp model-devi`, with `devi_e`), scientific notation and
/// `nan`/`inf` (kept as NaN/±infinity). Any other row is an error naming the line.
public struct ModelDeviationReader {
    private let lines: LineReader

    public init(url: URL) throws {
        lines = try LineReader(url: url)
    }

    /// All records of the file.
    public static func readAll(_ url: URL) throws -> [ModelDeviationRecord] {
        var reader = try ModelDeviationReader(url: url)
        var out: [ModelDeviationRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    /// How many rows the file holds, each checked as `next()` checks it.
    public static func count(_ url: URL) throws -> Int {
        var reader = try ModelDeviationReader(url: url)
        var n = 0
        while try reader.next() != nil { n += 1 }
        return n
    }

    /// The next record, or nil at the end of the file.
    public mutating func next() throws -> ModelDeviationRecord? {
        while let line = try lines.nextLine() {
            if let r = Self.fixedLayoutRow(line) { return r }
            var t = Tokens(line)
            guard let stepToken = t.next() else { continue }
            if stepToken[0] == 35 { continue }  // '#'
            guard let step = Self.step(stepToken) else {
                throw lines.error("expected an integer step, found \(Text.show(stepToken))", column: 1)
            }
            var v = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            for k in 0..<6 {
                let x: Double
                switch t.nextDouble() {
                case .number(let v): x = v
                case .end:
                    throw lines.error("expected 7 or 8 columns (step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f [devi_e]), found \(k + 1)",
                                      column: t.lastColumn)
                case .invalid(let tok):
                    throw lines.error("expected a number, found \(Text.show(tok))", column: t.lastColumn)
                }
                switch k {
                case 0: v.0 = x
                case 1: v.1 = x
                case 2: v.2 = x
                case 3: v.3 = x
                case 4: v.4 = x
                default: v.5 = x
                }
            }
            var devE: Double?
            switch t.nextDouble() {
            case .end: break
            case .number(let x):
                devE = x
                if t.next() != nil {
                    throw lines.error("expected 7 or 8 columns, found more (per-atom deviations are not read)", column: t.lastColumn)
                }
            case .invalid(let tok):
                throw lines.error("expected devi_e as a number, found \(Text.show(tok))", column: t.lastColumn)
            }
            return ModelDeviationRecord(step: step, maxDevV: v.0, minDevV: v.1, avgDevV: v.2,
                                        maxDevF: v.3, minDevF: v.4, avgDevF: v.5, devE: devE)
        }
        return nil
    }

    /// A row exactly as DeePMD-kit and ``ModelDeviationWriter`` print it — `%12d`
    /// then 6 or 7 `%19.6e` fields with two-digit exponents — read at fixed
    /// offsets; nil for any other row, which the general tokenizer then reads.
    @inline(__always) private static func fixedLayoutRow(_ line: UnsafeBufferPointer<UInt8>) -> ModelDeviationRecord? {
        guard line.count == 12 + 6 * 19 || line.count == 12 + 7 * 19, let p = line.baseAddress,
              let step = NumberParser.int(trimmedStep(p)) else { return nil }
        guard let a = fixedField(p + 12), let b = fixedField(p + 31), let c = fixedField(p + 50),
              let d = fixedField(p + 69), let e = fixedField(p + 88), let f = fixedField(p + 107) else { return nil }
        var devE: Double?
        if line.count == 12 + 7 * 19 {
            guard let g = fixedField(p + 126) else { return nil }
            devE = g
        }
        return ModelDeviationRecord(step: step, maxDevV: a, minDevV: b, avgDevV: c, maxDevF: d, minDevF: e, avgDevF: f, devE: devE)
    }

    /// The 12-byte step field without its leading spaces.
    @inline(__always) private static func trimmedStep(_ p: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var i = 0
        while i < 11, p[i] == 32 { i += 1 }
        return UnsafeBufferPointer(start: p + i, count: 12 - i)
    }

    /// `   [-]d.dddddde±dd` in 19 bytes: 7 digits m and exponent x give m·10^(x−6),
    /// one correctly rounded multiply or divide of exact values — what strtod returns.
    @inline(__always) private static func fixedField(_ p: UnsafePointer<UInt8>) -> Double? {
        let raw = UnsafeRawPointer(p)
        guard raw.loadUnaligned(as: UInt32.self) == 0x2020_2020, raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self) == 0x2020,
              p[8] == 46, p[15] == 101, p[16] == 43 || p[16] == 45, p[6] == 32 || p[6] == 45 else { return nil }
        let d0 = p[7] &- 48, d1 = p[9] &- 48, d2 = p[10] &- 48, d3 = p[11] &- 48, d4 = p[12] &- 48,
            d5 = p[13] &- 48, d6 = p[14] &- 48, x0 = p[17] &- 48, x1 = p[18] &- 48
        guard d0 < 10, d1 < 10, d2 < 10, d3 < 10, d4 < 10, d5 < 10, d6 < 10, x0 < 10, x1 < 10 else { return nil }
        var m = UInt64(d0)
        m = m * 10 + UInt64(d1); m = m * 10 + UInt64(d2); m = m * 10 + UInt64(d3)
        m = m * 10 + UInt64(d4); m = m * 10 + UInt64(d5); m = m * 10 + UInt64(d6)
        let x = Int(x0) * 10 + Int(x1)
        let scale = (p[16] == 45 ? -x : x) - 6
        guard scale >= -22, scale <= 22 else { return nil }
        let value = scale < 0 ? Double(m) / NumberParser.exactPowers[-scale] : Double(m) * NumberParser.exactPowers[scale]
        return p[6] == 45 ? -value : value
    }

    /// The step as an integer; some writers print it as a float (`1.000000e+02`).
    @inline(__always) private static func step(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        if let i = NumberParser.int(t) { return i }
        guard let d = NumberParser.double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 else { return nil }
        return Int(d)
    }
}
