import Foundation

extension DeepmdNpy {
    /// Writes one system: `type.raw`, `type_map.raw` and `set.000`, `set.001`, …
    /// of up to `setSize` frames. All frames must have the same atom count and
    /// species order. Energy, force and virial files are written when every
    /// frame has them (a mix is an error). Frames without a cell get a zero box
    /// and a `nopbc` file. The directory must not hold sets already.
    public static func write(_ frames: [Frame], to dir: URL, typeMap: [String], setSize: Int = 5000) throws {
        guard setSize >= 1 else { throw GyreError(.invalidInput, "setSize must be at least 1") }
        // Frames are read in place through a buffer pointer: copying a Frame out of
        // the array costs five retains, which dominated writing 100k small frames.
        let system = try frames.withUnsafeBufferPointer { try SystemColumns($0, typeMap: typeMap, dir: dir) }

        let fm = FileManager.default
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw GyreError(.io, "cannot create directory", at: SourceLocation(file: dir.path), cause: error)
        }
        if let existing = try? fm.contentsOfDirectory(atPath: dir.path), existing.contains(where: { $0.hasPrefix("set.") }) {
            throw GyreError(.invalidInput, "already holds set.* directories: write to a new directory",
                            at: SourceLocation(file: dir.path))
        }
        try writeText(system.types.map(String.init).joined(separator: "\n") + "\n", to: dir.appendingPathComponent("type.raw"))
        try writeText(typeMap.joined(separator: "\n") + "\n", to: dir.appendingPathComponent("type_map.raw"))
        if !system.periodic { try writeText("", to: dir.appendingPathComponent("nopbc")) }

        let sets = stride(from: 0, to: frames.count, by: setSize).map { $0..<min($0 + setSize, frames.count) }
        let setDirs = sets.indices.map { dir.appendingPathComponent(String(format: "set.%03d", $0)) }
        for setDir in setDirs {
            do {
                try fm.createDirectory(at: setDir, withIntermediateDirectories: true)
            } catch {
                throw GyreError(.io, "cannot create directory", at: SourceLocation(file: setDir.path), cause: error)
            }
        }
        // Every (array, set) pair is one file. Gathering a column and the kernel's copy
        // of it into the page cache both take CPU time, so the files are shared out
        // among one worker per core, interleaved so each gets a like share of the
        // large arrays. A worker gathers every file of its share into one buffer.
        let files = system.columns.flatMap { column in sets.indices.map { (column, $0) } }
        let workers = min(files.count, ProcessInfo.processInfo.activeProcessorCount)
        _ = try ParallelMap.map(workers) { worker in
            let npy = NpyWriter()
            try frames.withUnsafeBufferPointer { all in
                for i in stride(from: worker, to: files.count, by: workers) {
                    let (column, k) = files[i]
                    try column.write(UnsafeBufferPointer(rebasing: all[sets[k]]), to: setDirs[k], with: npy)
                }
            }
        }
    }

    private static func writeText(_ text: String, to url: URL) throws {
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw GyreError(.io, "cannot write", at: SourceLocation(file: url.path), cause: error)
        }
    }
}

/// What the frames of one system share, checked in a single pass over them
/// (each pass over 100k frames is a cache miss per frame): the type of each
/// atom and the arrays every set holds.
private struct SystemColumns {
    var types: [Int]
    var periodic: Bool
    /// Largest arrays first, so interleaving them among workers balances the work.
    var columns: [NpyColumn]

    init(_ frames: UnsafeBufferPointer<Frame>, typeMap: [String], dir: URL) throws {
        guard let first = frames.first else { throw GyreError(.invalidInput, "no frames to write to \(dir.path)") }
        let index = Dictionary(typeMap.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        types = try first.species.map { s in
            guard let t = index[s] else { throw GyreError(.invalidInput, "species \(s) is not in typeMap \(typeMap)") }
            return t
        }
        let natoms = first.count
        var energies = 0, forces = 0, virials = 0, cells = 0
        // frames[i].x reads in place; `for frame in frames` would copy each Frame.
        for i in frames.indices {
            guard frames[i].species == first.species else {
                throw GyreError(.invalidInput,
                                "frame \(i) has species \(frames[i].formula) in another order or count than frame 0 (\(first.formula)): one deepmd/npy system needs identical atom lists; group them with DeepmdNpy.systems(_:)")
            }
            guard frames[i].count == natoms, frames[i].species.count == natoms else {
                throw GyreError(.invalidInput, "frame \(i) has \(frames[i].count) positions for \(frames[i].species.count) species")
            }
            if frames[i].energy != nil { energies += 1 }
            if frames[i].forces?.count == natoms { forces += 1 }
            if frames[i].virial != nil { virials += 1 }
            if frames[i].cell != nil { cells += 1 }
        }
        func all(_ n: Int, _ what: String) throws -> Bool {
            guard n == 0 || n == frames.count else {
                throw GyreError(.invalidInput, "\(n) of \(frames.count) frames have \(what): all or none must")
            }
            return n == frames.count
        }
        let hasEnergy = try all(energies, "an energy")
        let hasForces = try all(forces, "forces")
        let hasVirial = try all(virials, "a virial")
        periodic = try all(cells, "a cell")

        columns = [NpyColumn(file: "coord.npy", perFrame: 3 * natoms) { f, out in NpyColumn.put(f.pointee.positions, out) }]
        if hasForces {
            // Only reached when every frame has natoms forces.
            columns.append(NpyColumn(file: "force.npy", perFrame: 3 * natoms) { f, out in NpyColumn.put(f.pointee.forces ?? [], out) })
        }
        // dpdata writes a zero box for frames without a cell.
        columns.append(NpyColumn(file: "box.npy", perFrame: 9) { f, out in NpyColumn.put(f.pointee.cell?.matrix ?? .zero, out) })
        if hasVirial {
            columns.append(NpyColumn(file: "virial.npy", perFrame: 9) { f, out in NpyColumn.put(f.pointee.virial ?? .zero, out) })
        }
        if hasEnergy {
            columns.append(NpyColumn(file: "energy.npy", perFrame: 1) { f, out in out[0] = f.pointee.energy ?? 0 })
        }
    }
}

/// One array of every set: its file, how many numbers each frame has, and how
/// a frame's numbers are put in place (all `perFrame` of them, always).
private struct NpyColumn: Sendable {
    let file: String
    let perFrame: Int
    let put: @Sendable (UnsafePointer<Frame>, UnsafeMutablePointer<Double>) -> Void

    /// Gathers the column of `frames` straight into the file's bytes.
    func write(_ frames: UnsafeBufferPointer<Frame>, to setDir: URL, with npy: NpyWriter) throws {
        let n = frames.count
        try npy.write(shape: perFrame == 1 ? [n] : [n, perFrame], to: setDir.appendingPathComponent(file)) { rows, out in
            guard let frame = frames.baseAddress, let base = out.baseAddress else { return }
            for (i, f) in rows.enumerated() { put(frame + f, base + i * perFrame) }
        }
    }

    /// x, y, z of each vector, in order.
    static func put(_ vectors: [SIMD3<Double>], _ out: UnsafeMutablePointer<Double>) {
        vectors.withUnsafeBufferPointer { v in
            for (i, p) in v.enumerated() {
                out[3 * i] = p.x
                out[3 * i + 1] = p.y
                out[3 * i + 2] = p.z
            }
        }
    }

    /// The nine numbers row by row.
    static func put(_ m: Matrix3, _ out: UnsafeMutablePointer<Double>) {
        for r in 0..<3 {
            let row = m[r]
            out[3 * r] = row.x
            out[3 * r + 1] = row.y
            out[3 * r + 2] = row.z
        }
    }
}
