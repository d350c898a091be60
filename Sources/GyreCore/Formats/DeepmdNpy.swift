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
    /// Every frame of every `set.*` directory, in set order. `typeMap` overrides
    /// (or stands in for a missing) `type_map.raw`. Energy, forces and virial
    /// are read when their files are present.
    public static func read(_ dir: URL, typeMap: [String]? = nil) throws -> [Frame] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw GyreError(.io, "not a deepmd/npy directory", at: SourceLocation(file: dir.path))
        }
        let typeFile = dir.appendingPathComponent("type.raw")
        let types = try rawWords(typeFile).enumerated().map { (i, w) -> Int in
            guard let t = Int(w), t >= 0 else {
                throw GyreError(.malformedFile, "expected a non-negative type index, found \"\(w)\"",
                                at: SourceLocation(file: typeFile.path, line: i + 1))
            }
            return t
        }
        let mapFile = dir.appendingPathComponent("type_map.raw")
        let names: [String]
        if let typeMap {
            names = typeMap
        } else if fm.fileExists(atPath: mapFile.path) {
            names = try rawWords(mapFile)
        } else {
            throw GyreError(.malformedFile, "no type_map.raw and no typeMap given: cannot name the atom types",
                            at: SourceLocation(file: dir.path))
        }
        if let bad = types.first(where: { $0 >= names.count }) {
            throw GyreError(.malformedFile, "type index \(bad) but type_map has \(names.count) names",
                            at: SourceLocation(file: typeFile.path))
        }
        let species = types.map { names[$0] }
        let natoms = species.count
        let nopbc = fm.fileExists(atPath: dir.appendingPathComponent("nopbc").path)

        let sets = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("set.") }.sorted()
        var frames: [Frame] = []
        for set in sets {
            let setDir = dir.appendingPathComponent(set)
            let coordURL = setDir.appendingPathComponent("coord.npy")
            let coord = try NpyArray.read(coordURL)
            guard natoms > 0, coord.data.count % (3 * natoms) == 0 else {
                throw GyreError(.malformedFile, "coord.npy has \(coord.data.count) numbers, not a multiple of 3 × \(natoms) atoms",
                                at: SourceLocation(file: coordURL.path))
            }
            let n = coord.data.count / (3 * natoms)
            func optional(_ name: String, perFrame: Int) throws -> [Double]? {
                let url = setDir.appendingPathComponent(name)
                guard fm.fileExists(atPath: url.path) else { return nil }
                let a = try NpyArray.read(url)
                guard a.data.count == n * perFrame else {
                    throw GyreError(.malformedFile, "\(name) has \(a.data.count) numbers, expected \(n) frames × \(perFrame)",
                                    at: SourceLocation(file: url.path))
                }
                return a.data
            }
            let box = try optional("box.npy", perFrame: 9)
            guard box != nil || nopbc else {
                throw GyreError(.malformedFile, "missing box.npy in a periodic system", at: SourceLocation(file: setDir.path))
            }
            let energy = try optional("energy.npy", perFrame: 1)
            let force = try optional("force.npy", perFrame: 3 * natoms)
            let virial = try optional("virial.npy", perFrame: 9)
            for f in 0..<n {
                var cell: Cell?
                if let box, let m = Matrix3(rowMajor: Array(box[(9 * f)..<(9 * f + 9)])) {
                    // dpdata writes a zero box for non-periodic systems.
                    if !(nopbc && m == .zero) { cell = Cell(m, pbc: nopbc ? .none : .all) }
                }
                let positions = vectors(coord.data, frame: f, natoms: natoms)
                guard positions.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
                    throw GyreError(.malformedFile, "non-finite coordinate in frame \(f)", at: SourceLocation(file: coordURL.path))
                }
                frames.append(Frame(
                    species: species, positions: positions, cell: cell,
                    energy: energy?[f],
                    forces: force.map { vectors($0, frame: f, natoms: natoms) },
                    virial: virial.flatMap { Matrix3(rowMajor: Array($0[(9 * f)..<(9 * f + 9)])) }))
            }
        }
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

    private static func vectors(_ d: [Double], frame f: Int, natoms: Int) -> [SIMD3<Double>] {
        let base = f * natoms * 3
        return (0..<natoms).map { i in SIMD3(d[base + 3 * i], d[base + 3 * i + 1], d[base + 3 * i + 2]) }
    }

    private static func rawWords(_ url: URL) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GyreError(.io, "cannot read", at: SourceLocation(file: url.path), cause: error)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw GyreError(.malformedFile, "not valid UTF-8 text", at: SourceLocation(file: url.path))
        }
        return text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
