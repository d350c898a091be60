import Foundation
@testable import GyreCore

/// Builders for selection tests: settings, stages, model_devi.out files and trajectories in a temp dir.
enum SelectionFixtures {
    static func settings(lo: Double = 0.05, hi: Double = 0.15, virial: (lo: Double, hi: Double)? = nil,
                         adaptive: (hi: Double, top: Int, rate: Double)? = nil,
                         maxPerIteration: Int = 10, maxPerSystem: Int? = nil,
                         strategy: SelectSettings.Strategy = .highest, skipFirst: Int = 0,
                         cutAfterFailure: Bool = false) -> SelectSettings {
        let force: TrustSettings.Force = adaptive.map { .adaptive(hi: $0.hi, top: $0.top, rate: $0.rate) } ?? .fixed(lo: lo, hi: hi)
        return SelectSettings(trust: TrustSettings(force: force, virial: virial), maxPerIteration: maxPerIteration,
                              maxPerSystem: maxPerSystem, strategy: strategy, skipFirst: skipFirst,
                              cutAfterFailure: cutAfterFailure)
    }

    static func stage(trust: TrustSettings? = nil) -> Stage {
        Stage(name: "warm", systems: ["bulk"], ensemble: .nvt, temperatures: [300], pressures: [1], steps: 1000,
              timestep: 0.002, sampleEvery: 10, maxIterations: 5,
              convergedWhen: Convergence(accurate: 0.97, loStable: nil), trust: trust)
    }

    static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-selection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A model_devi.out with the given (step, max_devi_v, max_devi_f) rows.
    static func writeModelDevi(_ rows: [(step: Int, v: Double, f: Double)], to url: URL) throws {
        var s = "#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f\n"
        for r in rows {
            s += "\(r.step) \(r.v) \(r.v / 2) \(r.v / 2) \(r.f) \(r.f / 3) \(r.f / 2)\n"
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try s.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A trajectory task directory with model_devi.out (force deviations `f`, steps 0, 10, …)
    /// and, when given, one frame per row in traj.extxyz.
    static func trajectory(in root: URL, task: String, system: String = "bulk", condition: String = "T=300 K",
                           f: [Double], v: [Double]? = nil, frames: [Frame]? = nil) throws -> Trajectory {
        let dir = root.appendingPathComponent(task)
        let rows = f.indices.map { (step: $0 * 10, v: v?[$0] ?? 0.001, f: f[$0]) }
        try writeModelDevi(rows, to: dir.appendingPathComponent("model_devi.out"))
        // A structure of its own per task and row: selection filters repeated structures.
        let taskSeed = task.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        let frameList = frames ?? f.indices.map { crystal(rattle: 0.02, seed: taskSeed &+ UInt64($0)) }
        try ExtXYZ.write(frameList, to: dir.appendingPathComponent("traj.extxyz"))
        return Trajectory(task: task, system: system, condition: condition, directory: dir)
    }

    /// A 2×2×2 fcc Cu supercell (32 atoms), rattled and strained reproducibly.
    static func crystal(rattle: Double, strain: Double = 0, seed: UInt64) -> Frame {
        var g = SeededGenerator(seed: seed, stream: ["fixture"])
        let a = 3.61 * (1 + strain)
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
        var positions: [SIMD3<Double>] = []
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 {
            for b in basis {
                let p = (SIMD3(Double(i), Double(j), Double(k)) + b) * a
                positions.append(p + rattle * SIMD3(g.nextGaussian(), g.nextGaussian(), g.nextGaussian()))
            }
        } } }
        return Frame(species: Array(repeating: "Cu", count: positions.count), positions: positions,
                     cell: .orthorhombic(2 * a, 2 * a, 2 * a))
    }
}
