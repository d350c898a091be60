import Foundation

/// One deepmd/npy system: frames that share atom count and species order, and
/// the directory name they go under (the formula, made unique).
public struct DeepmdSystem: Sendable {
    public var name: String
    public var frames: [Frame]
}

/// DeePMD-kit's training data: a directory with `type.raw`, `type_map.raw` and
/// `set.NNN/{coord,box,energy,force,virial}.npy`; a `nopbc` file marks a
/// non-periodic system.
public enum DeepmdNpy {
    /// Every frame of every `set.*` directory, in set order, read with a
    /// ``DeepmdNpyReader``. `typeMap` overrides (or stands in for a missing)
    /// `type_map.raw`.
    public static func read(_ dir: URL, typeMap: [String]? = nil) throws -> [Frame] {
        var reader = try DeepmdNpyReader(dir, typeMap: typeMap)
        var frames: [Frame] = []
        while let set = try reader.nextSet() { frames += set }
        return frames
    }

    /// Groups frames into deepmd/npy systems by formula and species order, in
    /// order of first appearance. Each system is named by its formula; a formula
    /// seen with a second species order gets `-2`, `-3`, … appended.
    public static func systems(_ frames: [Frame]) -> [DeepmdSystem] {
        var out: [DeepmdSystem] = []
        var slot: [[String]: Int] = [:]
        var perFormula: [String: Int] = [:]
        for f in frames {
            if let k = slot[f.species] {
                out[k].frames.append(f)
                continue
            }
            let formula = f.formula
            let n = perFormula[formula, default: 0] + 1
            perFormula[formula] = n
            slot[f.species] = out.count
            out.append(DeepmdSystem(name: n == 1 ? formula : "\(formula)-\(n)", frames: [f]))
        }
        return out
    }
}
