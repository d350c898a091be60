import Foundation

/// The three columns of a `model_devi.out` row that selection uses.
struct DeviationRow {
    var step: Int
    var maxDevV: Double
    var maxDevF: Double
}

/// Streams `model_devi.out` rows parsing only the step, `max_devi_v` and
/// `max_devi_f`: classifying tens of millions of frames is dominated by
/// number parsing, and the other four columns are never used here. Rows are
/// still checked to have 7 or 8 columns, like ``ModelDeviationReader``.
struct DeviationRows {
    private let lines: LineReader

    init(url: URL) throws {
        lines = try LineReader(url: url)
    }

    mutating func next() throws -> DeviationRow? {
        while let line = try lines.nextLine() {
            var t = Tokens(line)
            guard let stepToken = t.next() else { continue }
            if stepToken[0] == 35 { continue }  // '#'
            guard let step = Self.step(stepToken) else {
                throw lines.error("expected an integer step, found \(Text.show(stepToken))", column: 1)
            }
            var v = 0.0, f = 0.0
            for k in 1...6 {
                let column = t.column
                guard let tok = t.next() else {
                    throw lines.error("expected 7 or 8 columns (step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f [devi_e]), found \(k)",
                                      column: column)
                }
                guard k == 1 || k == 4 else { continue }
                guard let x = NumberParser.double(tok) else {
                    throw lines.error("expected a number, found \(Text.show(tok))", column: column)
                }
                if k == 1 { v = x } else { f = x }
            }
            if t.next() != nil, t.next() != nil {
                throw lines.error("expected 7 or 8 columns, found more", column: t.column)
            }
            return DeviationRow(step: step, maxDevV: v, maxDevF: f)
        }
        return nil
    }

    /// Some writers print the step as a float (`1.000000e+02`).
    @inline(__always) private static func step(_ t: UnsafeBufferPointer<UInt8>) -> Int? {
        if let i = NumberParser.int(t) { return i }
        guard let d = NumberParser.double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 else { return nil }
        return Int(d)
    }
}
