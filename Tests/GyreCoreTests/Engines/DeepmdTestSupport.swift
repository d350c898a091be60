import Foundation
import Testing
@testable import GyreCore

/// Real DeePMD-kit for tests: where `dp` is, a small labelled copper data set,
/// a tiny-network template, and a tiny ensemble trained and frozen through
/// Gyre's adapter (reused by the LAMMPS `pair_style deepmd` tests).
enum DeepmdTest {
    static let skipMessage: Comment = "skipped: install deepmd-kit[cpu]==3.2.0 into .venv-deepmd (see .ci/run)"

    /// The directory holding `dp` (and DeePMD-kit's `lmp`): $GYRE_DEEPMD_BIN, else <repo>/.venv-deepmd/bin.
    static let binDirectory: URL? = {
        var candidates: [URL] = []
        if let bin = ProcessInfo.processInfo.environment["GYRE_DEEPMD_BIN"] { candidates.append(URL(fileURLWithPath: bin)) }
        candidates.append(DFTTest.repoRoot.appendingPathComponent(".venv-deepmd/bin"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("dp").path) }
    }()

    static var dp: String? { binDirectory?.appendingPathComponent("dp").path }

    /// A 32-atom fcc copper cell, rattled, labelled with a Lennard-Jones pair
    /// potential (σ puts the minimum at copper's 2.55 Å neighbour distance):
    /// smooth, cheap, and enough for DeePMD-kit to learn something in 100 steps.
    static func copperFrames(count: Int, seed: UInt64 = 7) -> [Frame] {
        let a = 3.61
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
        var lattice: [SIMD3<Double>] = []
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 {
            for b in basis { lattice.append((b + SIMD3(Double(i), Double(j), Double(k))) * a) }
        } } }
        var random = SeededGenerator(seed: seed, stream: ["deepmd-test-copper"])
        return (0..<count).map { _ in
            let positions = lattice.map { p in
                p + SIMD3(random.nextGaussian(), random.nextGaussian(), random.nextGaussian()) * 0.08
            }
            let (energy, forces) = lennardJones(positions, box: 2 * a)
            return Frame(species: Array(repeating: "Cu", count: positions.count), positions: positions,
                         cell: .orthorhombic(2 * a, 2 * a, 2 * a), energy: energy, forces: forces)
        }
    }

    /// Energy and forces of a cubic periodic box, all images within 5 Å.
    private static func lennardJones(_ r: [SIMD3<Double>], box: Double) -> (Double, [SIMD3<Double>]) {
        let epsilon = 0.4, sigma = 2.27, cutoff = 5.0
        var energy = 0.0
        var forces = [SIMD3<Double>](repeating: .zero, count: r.count)
        for i in r.indices {
            for j in r.indices {
                for x in -1...1 { for y in -1...1 { for z in -1...1 {
                    if i == j, x == 0, y == 0, z == 0 { continue }
                    let d = r[j] + SIMD3(Double(x), Double(y), Double(z)) * box - r[i]
                    let d2 = (d * d).sum()
                    guard d2 < cutoff * cutoff else { continue }
                    let s6 = pow(sigma * sigma / d2, 3)
                    energy += 0.5 * 4 * epsilon * (s6 * s6 - s6)
                    // F_i = -dE/dr_i = -(24ε/r²)(2s¹² - s⁶) d
                    forces[i] -= d * (24 * epsilon / d2 * (2 * s6 * s6 - s6))
                } } }
            }
        }
        return (energy, forces)
    }

    /// A DeePMD-kit se_e2_a template with a tiny network: trains 100 steps in seconds.
    static func tinyTemplate(in dir: URL, extra: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        var root: [String: Any] = [
            "model": [
                "type_map": [String](),
                "descriptor": ["type": "se_e2_a", "rcut": 4.0, "rcut_smth": 0.5, "sel": [60], "neuron": [4, 8], "axis_neuron": 2],
                "fitting_net": ["neuron": [8, 8]],
            ],
            "learning_rate": ["type": "exp", "start_lr": 0.001, "stop_lr": 1e-5, "decay_steps": 20],
            "loss": ["type": "ener", "start_pref_e": 0.02, "limit_pref_e": 1, "start_pref_f": 1000, "limit_pref_f": 1],
            "training": [
                "training_data": ["systems": [String](), "batch_size": "auto"],
                "numb_steps": 100, "disp_freq": 10, "save_freq": 100,
            ],
        ]
        extra(&root)
        let url = dir.appendingPathComponent("input-template.json")
        try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted]).write(to: url)
        return url
    }

    /// One trained member: its task directory, how its task ended, the model
    /// it froze, and the adapter's verdict (nil: accepted).
    struct Member {
        var directory: URL
        var outcome: TaskOutcome?
        var model: URL
        var reason: String?
    }

    private actor Outcomes {
        var byID: [Int64: TaskOutcome] = [:]
        func record(_ id: Int64, _ outcome: TaskOutcome) { byID[id] = outcome }
    }

    /// Writes `frames` as the workdir-like data/deepmd/ systems under `root`.
    static func writeData(_ frames: [Frame], under root: URL, typeMap: [String]) throws -> [String] {
        var names: [String] = []
        for system in DeepmdNpy.systems(frames) {
            try DeepmdNpy.write(system.frames, to: root.appendingPathComponent("data/deepmd/\(system.name)"), typeMap: typeMap)
            names.append("data/deepmd/\(system.name)")
        }
        return names
    }

    /// Trains `members` models with the adapter in `root`/train/model.K (data in
    /// `root`/data/deepmd), running their tasks with the local executor.
    /// `reason` is the adapter's verdict (nil: accepted).
    static func trainEnsemble(
        in root: URL, members: Int = 2, template: URL, settings: (inout DeepmdTraining) -> Void = { _ in },
        start: DeepmdTrainer.Start = .scratch, frames: [Frame]? = nil
    ) async throws -> [Member] {
        let dp = try #require(dp, "no dp")
        let data = try writeData(frames ?? copperFrames(count: 12), under: root, typeMap: ["Cu"])
        var training = DeepmdTraining(template: template, command: ShellQuote.quote(dp))
        settings(&training)
        let trainer = try DeepmdTrainer(settings: training)
        var specs: [TaskSpec] = []
        for k in 0..<members {
            let relative = "train/model.\(k)"
            let dir = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try trainer.prepare(in: dir, typeMap: ["Cu"], systems: data.map { relativePath(from: relative, to: $0) },
                                seed: taskSeed(11, "member", "\(k)"), start: start)
            specs.append(TaskSpec(id: Int64(k), directory: dir, command: trainer.command(start: start), timeout: .seconds(600)))
        }
        let outcomes = Outcomes()
        await LocalExecutor(slots: 2).run(specs, onStart: { _, _ in }, onFinish: { spec, outcome, _ in
            await outcomes.record(spec.id, outcome)
        })
        let ended = await outcomes.byID
        return specs.map { spec in
            let model = trainer.model(in: spec.directory) ?? "missing-model"
            return Member(directory: spec.directory, outcome: ended[spec.id], model: spec.directory.appendingPathComponent(model),
                          reason: trainer.rejection(spec.directory))
        }
    }
}
