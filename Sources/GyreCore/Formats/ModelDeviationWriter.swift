import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        try out.write(Self.formatRow(r, withEnergy: withEnergy))
    }

    /// Writes buffered rows to disk and closes the file.
    public func close() throws {
        try out.close()
    }

    /// One row with its newline: `%12d` then `%19.6e` per value, as numpy.savetxt prints it.
    public static func formatRow(_ r: ModelDeviationRecord, withEnergy: Bool = true) -> String {
        // One vsnprintf per row: this runs once per sampled frame.
        let args: [any CVarArg] = [r.step, r.maxDevV, r.minDevV, r.avgDevV, r.maxDevF, r.minDevF, r.avgDevF, r.devE ?? 0]
        let format = withEnergy ? rowFormat8 : rowFormat7
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buf -> String in
            guard let b = buf.baseAddress else { return "" }
            let n = withVaList(withEnergy ? args : Array(args.prefix(7))) { vsnprintf(b, 256, format, $0) }
            return n > 0 ? String(cString: b) : ""
        }
    }

    private static let rowFormat8 = "%12ld" + String(repeating: "%19.6e", count: 7) + "\n"
    private static let rowFormat7 = "%12ld" + String(repeating: "%19.6e", count: 6) + "\n"
}
