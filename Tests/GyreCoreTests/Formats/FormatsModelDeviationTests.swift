import Foundation
import Testing
@testable import GyreCore

@Suite struct FormatsModelDeviationTests {
    @Test func readsDeePMDOutputWithNaN() throws {
        let records = try ModelDeviationReader.readAll(Sample.fixture("model_devi_dp.out"))
        #expect(records.map(\.step) == [0, 100, 200, 300])
        #expect(records[0].maxDevV == 1.234567e-02)
        #expect(records[0].devE == 1e-4)
        #expect(records[1].maxDevF.isNaN && records[1].devE?.isNaN == true)
        #expect(records[2].maxDevV == 1 && records[2].minDevV == 0.25 && records[2].avgDevV == .infinity)
        #expect(records[2].devE == -.infinity)
        #expect(records[3].avgDevF == 5e-2)
    }

    @Test func writerMatchesDeePMDLayoutAndRoundTrips() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = dir.file("model_devi.out")
        let rows = [
            ModelDeviationRecord(step: 0, maxDevV: 0.1234567, minDevV: 1e-9, avgDevV: 2.5, maxDevF: 0.05, minDevF: 0.001, avgDevF: 0.02, devE: 3e-4),
            ModelDeviationRecord(step: 123456, maxDevV: .nan, minDevV: .nan, avgDevV: .nan, maxDevF: .nan, minDevF: .nan, avgDevF: .nan, devE: .nan),
        ]
        let w = try ModelDeviationWriter(url: url)
        try w.appendRow(rows[0])
        try w.close()
        let w2 = try ModelDeviationWriter(url: url, append: true)
        try w2.appendRow(rows[1])
        try w2.close()
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == Substring(ModelDeviationWriter.header))
        #expect(lines[1] == "           0       1.234567e-01       1.000000e-09       2.500000e+00       5.000000e-02       1.000000e-03       2.000000e-02       3.000000e-04")
        let back = try ModelDeviationReader.readAll(url)
        #expect(back.count == 2)
        #expect(back[0].maxDevV == 1.234567e-01)
        #expect(back[1] == rows[1])
    }

    @Test func sevenColumnsAndFloatSteps() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let url = try dir.write("#  step a b c d e f\n1.000000e+02 1 2 3 4 5 6\n  7 1e-3 2E-3 3.0 4 5 6\n", to: "m.out")
        let r = try ModelDeviationReader.readAll(url)
        #expect(r.map(\.step) == [100, 7])
        #expect(r[1].devE == nil && r[1].minDevV == 2e-3)
        // A last row cut short (no newline) is a truncated file, not a smaller number.
        let cut = try dir.write("0 1 2 3 4 5 6\n1 1 2 3 4 5 0.12", to: "cut.out")
        expectMalformed { _ = try ModelDeviationReader.readAll(cut) }
    }

    @Test func exactParsingOfManyDigits() throws {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let x = Double(bitPattern: g.next() >> 2)  // positive, any exponent
            let text = "\(x)"
            let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.double($0) }
            #expect(parsed == x, "\(text)")
            let sci = String(format: "%.6e", x)
            let p2 = Array(sci.utf8).withUnsafeBufferPointer { NumberParser.double($0) }
            #expect(p2 == Double(sci), "\(sci)")
        }
    }

    /// Decimal strings of up to 19 digits with exponents near the extended-precision
    /// fast path's limits parse to exactly what strtod gives.
    @Test func exactParsingOfLongMantissas() throws {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<50_000 {
            let digits = 1 + Int(g.next() % 19)
            var m = ""
            for k in 0..<digits { m += String(k == 0 ? 1 + g.next() % 9 : g.next() % 10) }
            let e = Int(g.next() % 70) - 35
            let point = Int(g.next() % UInt64(digits + 1))
            let text = String(m.prefix(point)) + "." + String(m.dropFirst(point)) + "e\(e)"
            let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.double($0) }
            #expect(parsed == Double(text), "\(text)")
        }
    }

    @Test func malformedRows() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let cases = ["0 1 2 3 4 5\n", "0 1 2 3 4 5 6 7 8\n", "x 1 2 3 4 5 6\n", "0 1 2 3 4 5 6abc\n", "0 1 2 3 4 5 \u{FF}\n", "0 1 2 0x1p3 4 5 6\n"]
        for (i, text) in cases.enumerated() {
            let url = try dir.write("# header\n" + text, to: "m\(i).out")
            let e = expectMalformed("case \(i)") { _ = try ModelDeviationReader.readAll(url) }
            #expect(e?.location?.line == 2)
        }
    }
}
