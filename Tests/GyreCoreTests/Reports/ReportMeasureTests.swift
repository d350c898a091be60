import Foundation
import Testing
@testable import GyreCore

/// The numbers behind the report: percentages, histograms, overhead, RMSEs.
@Suite("Reports: measures")
struct ReportMeasureTests {
    @Test("percentages sum to 100 and are 0 when nothing was sampled",
          arguments: [(62, 27, 35, 0), (7, 1, 2, 4), (1000, 999, 0, 1), (0, 0, 0, 0)])
    func percentages(sampled: Int, accurate: Int, candidate: Int, failed: Int) {
        let f = FrameCounts(sampled: sampled, accurate: accurate, candidate: candidate, failed: failed)
        let sum = f.accuratePercent + f.candidatePercent + f.failedPercent
        #expect(abs(sum - (sampled == 0 ? 0 : 100)) < 1e-9)
    }

    @Test("every row lands in exactly one bin, below, above or NaN")
    func histogram() {
        let bins = DeviationBins.standard
        let values = [0, 5e-5, 1.2e-4, 0.0999, 0.13, 0.15, 99.9, 100, 1e3, .nan, .infinity]
        let h = DeviationHistogram(values, bins: bins)
        #expect(h.counts.reduce(0, +) + h.below + h.above + h.nan == values.count)
        #expect(h.below == 2 && h.above == 3 && h.nan == 1)
        #expect(h.counts[0] == 1)            // 1.2e-4 in [1e-4, 1.26e-4)
        #expect(h.counts[29] == 1)           // 0.0999 in [10^-1.1, 10^-1)
        #expect(h.counts[31] == 2)           // 0.13, 0.15 in [10^-0.9, 10^-0.8)
        #expect(h.counts[59] == 1)
        #expect(h.max == .infinity && h.median == 0.15)
        #expect(abs(bins.edge(30) - 0.1) < 1e-12 && abs(bins.edge(60) - 100) < 1e-9)
    }

    @Test("idle time is wall time with no task running, whatever the slots")
    func idleTime() {
        let t0 = Date(timeIntervalSince1970: 0)
        // Two slots: [1, 5) and [2, 7) overlap; [8, 9) alone. Covered 7 s of 10.
        let intervals = [(t0 + 1, t0 + 5), (t0 + 2, t0 + 7), (t0 + 8, t0 + 9)]
        #expect(StepTiming.covered(intervals, from: t0, to: t0 + 10) == 7)
        #expect(StepTiming.covered(intervals, from: t0 + 3, to: t0 + 8.5) == 4.5)
        #expect(StepTiming.covered([], from: t0, to: t0 + 10) == 0)
    }

    @Test("time axes tick at whole seconds, minutes or hours and cover the tallest bar")
    func durationTicks() {
        #expect(Ticks.duration(upTo: 4.6) == [0, 1, 2, 3, 4, 5])
        #expect(Ticks.duration(upTo: 75) == [0, 15, 30, 45, 60, 75])
        #expect(Ticks.duration(upTo: 3000).last ?? 0 >= 3000)
        #expect(Ticks.durationLabel(75) == "1m15s")
        #expect(Ticks.durationLabel(600) == "10m")
        #expect(Ticks.durationLabel(5400) == "1h30m")
        #expect(Ticks.durationLabel(7200) == "2h")
    }

    @Test("out-of-sample RMSE uses the ensemble mean prediction")
    func holdout() throws {
        let frame = Frame(species: ["Cu", "Cu"], positions: [.zero, SIMD3(2, 0, 0)], cell: nil,
                          energy: -4, forces: [SIMD3(0.1, 0, 0), SIMD3(-0.1, 0, 0)])
        // Members disagree symmetrically: the mean is the label plus (0, 0.2, 0) on atom 0, energy +0.2.
        let a = Prediction(energy: -3.6, forces: [SIMD3(0.3, 0.2, 0), SIMD3(-0.1, 0, 0)])
        let b = Prediction(energy: -4.0, forces: [SIMD3(-0.1, 0.2, 0), SIMD3(-0.1, 0, 0)])
        let e = try #require(HoldoutErrors.measure([[a], [b]], labelled: [frame]))
        #expect(e.prediction == .ensembleMean && e.members == 2 && e.frames == 1)
        #expect(abs(e.energyRMSEPerAtom - 0.1) < 1e-12)          // (−3.8 − −4) / 2 atoms
        #expect(abs(e.forceRMSE - (0.04 / 6).squareRoot()) < 1e-12)
        #expect(HoldoutErrors.measure([], labelled: [frame]) == nil)
    }
}
