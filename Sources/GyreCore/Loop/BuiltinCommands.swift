import Foundation

/// The argv of built-in engine tasks (`gyre engine …`), and how their outputs
/// are accepted. Paths are relative to the task directory, so the workdir
/// can move. `gyre` is resolved to the running binary at launch.
enum BuiltinCommands {
    static func train(seed: UInt64, member: Int, data: [String], initFrom: String?, elements: [String]) -> [String] {
        var argv = ["gyre", "engine", "train", "--seed", "\(seed)", "--member", "\(member)", "--output", "model.json",
                    "--elements", elements.joined(separator: ",")]
        for d in data { argv += ["--data", d] }
        if let initFrom { argv += ["--init-from", initFrom] }
        return argv
    }

    static func md(models: [String], stage: Stage, condition: ExplorationCondition, seed: UInt64, explore: ExploreSettings) -> [String] {
        var argv = ["gyre", "engine", "md", "--input", "start.extxyz"]
        for m in models { argv += ["--model", m] }
        argv += [
            "--ensemble", stage.ensemble.rawValue, "--temperature", "\(condition.temperature)",
            "--steps", "\(stage.steps)", "--timestep", "\(stage.timestep)", "--sample-every", "\(stage.sampleEvery)",
            "--seed", "\(seed)", "--min-distance", "\(explore.minDistance)", "--max-deviation", "\(explore.maxDeviation)",
        ]
        if let p = condition.pressure { argv += ["--pressure", "\(p)"] }
        return argv
    }

    static func acceptTraining(_ dir: URL) -> String? {
        for name in ["model.json", "train.done"] where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
            return "no \(name) was written"
        }
        return nil
    }

    static func acceptMD(_ dir: URL) -> String? {
        for name in ["md.done", "model_devi.out", "traj.extxyz"] where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
            return "no \(name) was written"
        }
        // md.done must describe the outputs beside it: a run interrupted after another
        // run's md.done was written leaves that marker over truncated files, and the
        // trajectory may be the interrupted run's while model_devi.out is the other's.
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("md.done")),
              let record = try? JSONDecoder().decode(MDDoneRecord.self, from: data) else {
            return "md.done does not read as the record gyre engine md writes"
        }
        let rows: Int
        do {
            rows = try ModelDeviationReader.count(dir.appendingPathComponent("model_devi.out"))
        } catch {
            return "model_devi.out does not read back: \(error)"
        }
        guard rows == record.sampledFrames else {
            return "model_devi.out does not hold the \(record.sampledFrames) rows md.done reports"
        }
        if let bytes = record.trajectoryBytes {
            let size = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("traj.extxyz").path)[.size]) as? Int
            guard size == bytes else {
                return "traj.extxyz holds \(size.map(String.init) ?? "unknown") bytes, not the \(bytes) md.done reports"
            }
        }
        return nil
    }
}

/// Seeds of tasks, derived from the workflow seed and the task's identity only.
func taskSeed(_ seed: UInt64, _ parts: String...) -> UInt64 {
    var g = SeededGenerator(seed: seed, stream: parts)
    return g.next() % 2_147_483_647
}
