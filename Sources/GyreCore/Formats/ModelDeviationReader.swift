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

    /// The next record, or nil at the end of the file.
    public mutating func next() throws -> ModelDeviationRecord? {
        while let line = try lines.nextLine() {
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

    /// The step as an integer; some writers print it as a float (`1.000000e+02`).
    @inline(__always) private static func step(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        if let i = NumberParser.int(t) { return i }
        guard let d = NumberParser.double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 else { return nil }
        return Int(d)
    }
}
