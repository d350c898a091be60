import Foundation

/// Log-spaced bins shared by every iteration, so histograms line up across
/// iterations and the page stays small however many frames were sampled.
public struct DeviationBins: Codable, Sendable, Equatable {
    /// log10 of the first bin's lower edge (eV/Å).
    public var log10Lo: Double
    public var perDecade: Int
    public var count: Int

    /// 1e-4 … 1e2 eV/Å, 10 bins a decade: spans converged ensembles to blown-up MD.
    public static let standard = DeviationBins(log10Lo: -4, perDecade: 10, count: 60)

    /// Lower edge of bin `k` (k == count gives the last upper edge), eV/Å.
    public func edge(_ k: Int) -> Double {
        pow(10, log10Lo + Double(k) / Double(perDecade))
    }

    /// The bin of `value`, or nil below the first / above the last edge.
    public func bin(of value: Double) -> Int? {
        guard value > 0, value.isFinite else { return nil }
        let k = Int(((log10(value) - log10Lo) * Double(perDecade)).rounded(.down))
        return (0..<count).contains(k) ? k : nil
    }

    enum CodingKeys: String, CodingKey {
        case log10Lo = "log10_lo", perDecade = "per_decade", count
    }
}

/// The distribution of max force deviation over every sampled row of an
/// iteration's model_devi.out files (skip_first rows included).
public struct DeviationHistogram: Codable, Sendable, Equatable {
    /// Counts per bin of ``DeviationBins``.
    public var counts: [Int]
    /// Rows below the first edge (including zero deviation) and above the last.
    public var below: Int
    public var above: Int
    /// Rows whose deviation was NaN.
    public var nan: Int
    public var rows: Int
    public var median: Double?
    public var max: Double?

    /// Bins `values` into `bins`.
    public init(_ values: [Double], bins: DeviationBins) {
        var counts = Array(repeating: 0, count: bins.count)
        var below = 0, above = 0, nan = 0
        var finite: [Double] = []
        finite.reserveCapacity(values.count)
        for v in values {
            if v.isNaN { nan += 1; continue }
            finite.append(v)
            if let k = bins.bin(of: v) {
                counts[k] += 1
            } else if v >= bins.edge(bins.count) {
                above += 1
            } else {
                below += 1
            }
        }
        finite.sort()
        self.counts = counts
        self.below = below
        self.above = above
        self.nan = nan
        self.rows = values.count
        self.median = finite.isEmpty ? nil : finite[finite.count / 2]
        self.max = finite.last
    }
}
