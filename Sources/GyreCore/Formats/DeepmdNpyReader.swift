import Foundation

/// Reads one deepmd/npy system a set at a time: memory is bounded by the
/// largest `set.*` directory, not by the system. Energy, forces and virial are
/// read where their files are present.
public struct DeepmdNpyReader {
    public let directory: URL
    /// The element of each atom, from `type.raw` and the type map.
    public let species: [String]
    /// False when the system has a `nopbc` file.
    public let periodic: Bool
    /// The `set.*` directories in the order they are read.
    public let sets: [String]
    private var nextIndex = 0

    /// Reads `type.raw`, the type map and the list of sets. `typeMap`
    /// overrides (or stands in for a missing) `type_map.raw`.
    public init(_ dir: URL, typeMap: [String]? = nil) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw GyreError(.io, "not a deepmd/npy directory", at: SourceLocation(file: dir.path))
        }
        let typeFile = dir.appendingPathComponent("type.raw")
        let types = try Self.rawWords(typeFile).enumerated().map { (i, w) -> Int in
            guard let t = Int(w), t >= 0 else {
                throw GyreError(.malformedFile, "expected a non-negative type index, found \"\(w)\"",
                                at: SourceLocation(file: typeFile.path, line: i + 1))
            }
            return t
        }
        guard !types.isEmpty else {
            throw GyreError(.malformedFile, "type.raw lists no atoms", at: SourceLocation(file: typeFile.path))
        }
        let mapFile = dir.appendingPathComponent("type_map.raw")
        let names: [String]
        if let typeMap {
            names = typeMap
        } else if fm.fileExists(atPath: mapFile.path) {
            names = try Self.rawWords(mapFile)
        } else {
            throw GyreError(.malformedFile, "no type_map.raw and no typeMap given: cannot name the atom types",
                            at: SourceLocation(file: dir.path))
        }
        if let bad = types.first(where: { $0 >= names.count }) {
            throw GyreError(.malformedFile, "type index \(bad) but type_map has \(names.count) names",
                            at: SourceLocation(file: typeFile.path))
        }
        directory = dir
        species = types.map { names[$0] }
        periodic = !fm.fileExists(atPath: dir.appendingPathComponent("nopbc").path)
        // By number, so set.1000 follows set.999 (text order would put it after set.100).
        sets = try Self.contents(of: dir).filter { $0.hasPrefix("set.") }.sorted { a, b in
            switch (Int(a.dropFirst(4)), Int(b.dropFirst(4))) {
            case let (x?, y?) where x != y: return x < y
            default: return a < b
            }
        }
    }

    /// The frames of the next set, or nil after the last one.
    public mutating func nextSet() throws -> [Frame]? {
        guard nextIndex < sets.count else { return nil }
        defer { nextIndex += 1 }
        return try readSet(directory.appendingPathComponent(sets[nextIndex]))
    }

    private func readSet(_ setDir: URL) throws -> [Frame] {
        let natoms = species.count
        let coordURL = setDir.appendingPathComponent("coord.npy")
        let coord = try NpyArray.read(coordURL)
        // As DeePMD-kit counts them: the first axis is frames, a 1-d array is one frame.
        let n = coord.shape.count > 1 ? coord.shape[0] : 1
        guard coord.data.count == n * 3 * natoms else {
            throw GyreError(.malformedFile,
                            "coord.npy of shape \(coord.shape) does not hold \(n) frames × 3 × \(natoms) atoms (type.raw's count)",
                            at: SourceLocation(file: coordURL.path))
        }
        let fm = FileManager.default
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
        guard box != nil || !periodic else {
            throw GyreError(.malformedFile, "missing box.npy in a periodic system", at: SourceLocation(file: setDir.path))
        }
        let energy = try optional("energy.npy", perFrame: 1)
        let force = try optional("force.npy", perFrame: 3 * natoms)
        let virial = try optional("virial.npy", perFrame: 9)
        var frames: [Frame] = []
        frames.reserveCapacity(n)
        for f in 0..<n {
            var cell: Cell?
            if let box {
                let m = Self.matrix(box, frame: f)
                // dpdata writes a zero box for non-periodic systems.
                if periodic || m != .zero { cell = Cell(m, pbc: periodic ? .all : .none) }
            }
            let positions = Self.vectors(coord.data, frame: f, natoms: natoms)
            guard positions.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
                throw GyreError(.malformedFile, "non-finite coordinate in frame \(f)", at: SourceLocation(file: coordURL.path))
            }
            frames.append(Frame(
                species: species, positions: positions, cell: cell,
                energy: energy?[f],
                forces: force.map { Self.vectors($0, frame: f, natoms: natoms) },
                virial: virial.map { Self.matrix($0, frame: f) }))
        }
        return frames
    }

    /// Frame `f`'s vectors of a (frames, 3 × natoms) array whose size was checked.
    private static func vectors(_ d: [Double], frame f: Int, natoms: Int) -> [SIMD3<Double>] {
        d.withUnsafeBufferPointer { all in
            let v = UnsafeBufferPointer(rebasing: all[(f * natoms * 3)..<((f + 1) * natoms * 3)])
            return [SIMD3<Double>](unsafeUninitializedCapacity: natoms) { out, initialized in
                for i in 0..<natoms { out.initializeElement(at: i, to: SIMD3(v[3 * i], v[3 * i + 1], v[3 * i + 2])) }
                initialized = natoms
            }
        }
    }

    /// Frame `f`'s row-major 3 × 3 of a (frames, 9) array whose size was checked.
    private static func matrix(_ d: [Double], frame f: Int) -> Matrix3 {
        let b = 9 * f
        return Matrix3(SIMD3(d[b], d[b + 1], d[b + 2]), SIMD3(d[b + 3], d[b + 4], d[b + 5]), SIMD3(d[b + 6], d[b + 7], d[b + 8]))
    }

    private static func contents(of dir: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: dir.path)
        } catch {
            throw GyreError(.io, "cannot list", at: SourceLocation(file: dir.path), cause: error)
        }
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
