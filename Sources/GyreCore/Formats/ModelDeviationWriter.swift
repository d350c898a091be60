import Foundation

/// Writes `model_devi.out` the way DeePMD-kit's `write_model_devi_out` does:
/// a `#` header naming the columns, then rows of `%12d` and `%19.6e` fields.
public final class ModelDeviationWriter {
    /// The column header, as DeePMD-kit prints it (`%10s` then `%19s` per column, after `# `).
    public static let header = "#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f         devi_e"

    private let out: FileWriter
    private let withEnergy: Bool

    /// Creates (or, with `append`, extends) the file. The header is written when
    /// the file is new or empty. With `withEnergy` false rows have 7 columns and
    /// the header omits `devi_e`, like the LAMMPS plugin's output.
    public init(url: URL, append: Bool = false, withEnergy: Bool = true) throws {
        let existing = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        out = try FileWriter(url: url, append: append)
        self.withEnergy = withEnergy
        if !append || (existing ?? 0) == 0 {
            try out.write((withEnergy ? Self.header : String(Self.header.dropLast(19))) + "\n")
        }
    }

    /// Adds one row. A missing `devE` is written as 0 in an 8-column file.
    public func appendRow(_ r: ModelDeviationRecord) throws {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxRowLength) { buf in
            guard let b = buf.baseAddress else { return }
            let n = Self.formatRow(r, withEnergy: withEnergy, to: b)
            try out.write(bytes: UnsafeRawBufferPointer(start: b, count: n))
        }
    }

    /// Writes buffered rows to disk and closes the file.
    public func close() throws {
        try out.close()
    }

    /// One row with its newline: `%12d` then `%19.6e` per value, as numpy.savetxt prints it.
    public static func formatRow(_ r: ModelDeviationRecord, withEnergy: Bool = true) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxRowLength) { buf -> String in
            guard let b = buf.baseAddress else { return "" }
            let n = formatRow(r, withEnergy: withEnergy, to: b)
            return String(decoding: UnsafeBufferPointer(start: b, count: n), as: UTF8.self)
        }
    }

    /// Room for a row: a 20-digit step and eight padded values never need more.
    static let maxRowLength = 256

    /// The row's bytes at `out` (which holds `maxRowLength`); returns their count.
    /// Hand-formatted: this runs once per sampled frame, and vsnprintf was the cost.
    static func formatRow(_ r: ModelDeviationRecord, withEnergy: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = formatStep(r.step, to: out)
        func value(_ v: Double) { n += ScientificFormat.write(v, width: 19, to: out + n) }
        value(r.maxDevV); value(r.minDevV); value(r.avgDevV)
        value(r.maxDevF); value(r.minDevF); value(r.avgDevF)
        if withEnergy { value(r.devE ?? 0) }
        out[n] = 10
        return n + 1
    }

    /// `%12ld`.
    private static func formatStep(_ step: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign
        return withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var k = raw.count
            var m = step.magnitude
            repeat {
                k -= 1
                raw[k] = UInt8(truncatingIfNeeded: m % 10) + 48
                m /= 10
            } while m > 0
            if step < 0 { k -= 1; raw[k] = 45 }
            let length = raw.count - k
            let pad = max(0, 12 - length)
            for i in 0..<pad { out[i] = 32 }
            for i in 0..<length { out[pad + i] = raw[k + i] }
            return pad + length
        }
    }
}
