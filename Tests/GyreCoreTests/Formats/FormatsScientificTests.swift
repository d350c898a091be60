import Foundation
import Testing
@testable import GyreCore

/// The hand-written `%19.6e` must print exactly what C's printf prints.
@Suite struct FormatsScientificTests {
    static func formatted(_ v: Double) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buf -> String in
            guard let b = buf.baseAddress else { return "" }
            let n = ScientificFormat.write(v, width: 19, to: b)
            return String(decoding: UnsafeBufferPointer(start: b, count: n), as: UTF8.self)
        }
    }

    static func printf(_ v: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let n = withVaList([v]) { vsnprintf(&buf, 64, "%19.6e", $0) }
        return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let edges: [Double] = [
        0, -0.0, 1, -1, 0.5, 9.9999995e-1, 9.9999994999e-1, 9.999999500000001e-1, 9.9999996e-1, 1.0000005, 1.0000015,
        12345675, 12345665, 12345685, 1234567.5, 1234566.5, 0.1, 0.2, 0.3, 1e-4, 5e-2, 0.015, 2.5e-7,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 2.2250738585072009e-308, 0x1p-1030, 4.9406564584124654e-324 * 3,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e308, 1e300, 1e100, 1e99, 9.9999995e99, 1e-99, 1e-100, 9.99999951e-101,
        1e22, 1e23, 9007199254740993, 9.5e6, 9999999.5, 9999998.5, 1e7, 1e-16, 1e-17, 123456789012345678,
        .nan, -.nan, .infinity, -.infinity,
    ]

    @Test func edgeValuesMatchPrintf() {
        for v in Self.edges {
            #expect(Self.formatted(v) == Self.printf(v), "value bits \(String(v.bitPattern, radix: 16))")
        }
    }

    /// Random bit patterns cover every exponent; random decimals with 7 or 8
    /// digits and ties put the rounding under test.
    @Test func randomValuesMatchPrintf() {
        var g = SeededGenerator(seed: 7)
        var mismatches: [String] = []
        for i in 0..<300_000 {
            let v: Double
            switch i % 3 {
            case 0: v = Double(bitPattern: g.next())
            case 1: v = Double(g.next() % 100_000_000) * pow(10, Double(Int(g.next() % 40) - 25)) * 0.5
            default: v = g.nextUnit() * pow(10, Double(Int(g.next() % 12) - 8))
            }
            let a = Self.formatted(v), b = Self.printf(v)
            if a != b, mismatches.count < 10 { mismatches.append("\(v.bitPattern): \(a) vs \(b)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func writerRowMatchesPrintf() {
        let r = ModelDeviationRecord(step: -42, maxDevV: 9.9999995e-1, minDevV: -0.0, avgDevV: 0x1p-1030, maxDevF: .nan,
                                     minDevF: -.infinity, avgDevF: 1e300, devE: 123.456)
        let expected = String(format: "%12ld", -42) + [9.9999995e-1, -0.0, 0x1p-1030, .nan, -.infinity, 1e300, 123.456]
            .map(Self.printf).joined() + "\n"
        #expect(ModelDeviationWriter.formatRow(r) == expected)
        #expect(ModelDeviationWriter.formatRow(r, withEnergy: false) == String(expected.dropLast(20)) + "\n")
    }
}
