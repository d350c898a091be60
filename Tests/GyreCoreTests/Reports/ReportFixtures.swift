import Foundation
@testable import GyreCore

/// Synthetic reports: as many iterations as wanted, with every field filled
/// the way a long run fills it (histograms, errors, timings, failures).
enum ReportFixtures {
    static func report(iterations count: Int, failures: Int = 300) -> RunReport {
        var rng = SplitMix(seed: 42)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var rows: [IterationReport] = []
        var cumulative = 0
        for k in 0..<count {
            let stageIndex = k * 3 / max(count, 1)
            let sampled = 2000
            let accurate = min(sampled, 600 + k * 1400 / max(count, 1))
            let failed = max(0, 80 - k * 2)
            let candidate = sampled - accurate - failed
            let done = min(40, candidate) - (k % 7 == 3 ? 2 : 0)
            cumulative += done
            // Deviations: log-normal, narrowing and moving left as the ensemble learns.
            let centre = -0.6 - 1.2 * Double(k) / Double(max(count, 1))
            let values = (0..<sampled).map { _ in pow(10, centre + 0.35 * rng.normal()) }
            let steps = StepKind.allCases.enumerated().map { i, kind in
                StepTiming(kind: kind.rawValue, state: "done", wallSeconds: [300, 900, 5, 1200, 2][i] * (1 + rng.uniform() / 2),
                           taskSeconds: [1100, 3400, 0, 4700, 0][i], idleSeconds: [3, 10, 5, 12, 2][i],
                           tasks: [4, 8, 0, 40, 0][i], tasksDone: [4, 8, 0, done, 0][i], tasksFailed: [0, 0, 0, 40 - done, 0][i])
            }
            rows.append(IterationReport(
                index: k, name: WorkdirLayout.iterationName(k), stage: ["warm", "hot", "hotter"][stageIndex], stageIndex: stageIndex,
                state: "done", startedAt: start + Double(k) * 3600, finishedAt: start + Double(k) * 3600 + 3000, isFinal: false,
                conditions: 8, frames: FrameCounts(sampled: sampled, accurate: accurate, candidate: candidate, failed: failed),
                trust: TrustUsed(lo: 0.05, hi: 0.3, adaptive: false),
                labels: LabelCounts(picked: min(40, candidate), done: done, failed: min(40, candidate) - done, cumulative: cumulative),
                holdout: ErrorMeasure(prediction: .ensembleMean, members: 4, frames: done, energyRMSEPerAtom: 0.02 / sqrt(Double(k + 1)),
                                      forceRMSE: 0.3 / sqrt(Double(k + 1))),
                training: ErrorMeasure(prediction: .memberMean, members: 4, frames: 16 + cumulative, energyRMSEPerAtom: 0.004,
                                       forceRMSE: 0.05),
                steps: steps, overheadSeconds: steps.reduce(0) { $0 + $1.idleSeconds },
                deviation: DeviationHistogram(values, bins: .standard), converged: k == count - 1 || k == count / 3 - 1))
        }
        let failureRows = (0..<failures).map { i in
            FailureRow(iteration: i % max(count, 1), step: "label", task: WorkdirLayout.taskName(i % 40),
                       directory: "iter.\(String(format: "%03d", i % max(count, 1)))/label/\(WorkdirLayout.taskName(i % 40))",
                       at: start + Double(i) * 60, reason: "SCF did not converge in 100 iterations <&> after 3 restarts; \(i)",
                       final: i % 3 == 0)
        }
        return RunReport(
            schemaVersion: RunReport.schemaVersion, generatedAt: start + Double(count) * 3600,
            run: RunOverview(name: "synthetic", workdir: "/runs/synthetic", state: .converged, startedAt: start,
                             wallSeconds: Double(count) * 3600, labels: cumulative),
            stages: RunReportBuilder.stages(rows), iterations: rows, deviationBins: .standard,
            failures: Array(failureRows.suffix(FailureRow.limit)), failuresOmitted: max(0, failures - FailureRow.limit))
    }
}

/// A small deterministic generator, so the fixture is the same every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Box–Muller.
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
