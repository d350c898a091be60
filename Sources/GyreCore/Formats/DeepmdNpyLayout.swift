import Foundation

/// What every frame of one deepmd/npy system shares, fixed by its first frame:
/// the species order, the type index of each atom and the arrays every set
/// holds. Each later frame is checked against it as it arrives, so a streamed
/// system is checked without holding its frames.
struct DeepmdNpyLayout: Sendable {
    let species: [String]
    let types: [Int]
    let periodic: Bool
    let hasEnergy: Bool
    let hasForces: Bool
    let hasVirial: Bool
    /// Largest arrays first, so interleaving them among workers balances the work.
    let columns: [NpyColumn]

    init(first: Frame, typeMap: [String]) throws {
        let index = Dictionary(typeMap.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        types = try first.species.map { s in
            guard let t = index[s] else { throw GyreError(.invalidInput, "species \(s) is not in typeMap \(typeMap)") }
            return t
        }
        species = first.species
        let natoms = first.count
        hasEnergy = first.energy != nil
        hasForces = first.forces?.count == natoms
        hasVirial = first.virial != nil
        periodic = first.cell != nil

        var columns = [NpyColumn(file: "coord.npy", perFrame: 3 * natoms) { f, out in NpyColumn.put(f.pointee.positions, out) }]
        if hasForces {
            // check(_:index:) lets through only frames with natoms forces.
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
        self.columns = columns
    }

    /// Throws unless `frame` (number `index` of the system) has the first
    /// frame's atoms, and an energy, forces, virial and cell exactly when it had.
    func check(_ frame: UnsafePointer<Frame>, index: Int) throws {
        let f = frame.pointee
        guard f.species == species else {
            throw GyreError(.invalidInput,
                            "frame \(index) has species \(f.formula) in another order or count than frame 0: one deepmd/npy system needs identical atom lists; group them with DeepmdNpy.systems(_:)")
        }
        guard f.count == species.count else {
            throw GyreError(.invalidInput, "frame \(index) has \(f.count) positions for \(species.count) species")
        }
        func same(_ has: Bool, _ had: Bool, _ what: String) throws {
            guard has == had else {
                throw GyreError(.invalidInput, "frame \(index) \(has ? "has" : "lacks") \(what) and frame 0 \(had ? "has" : "lacks") it: all frames of a system or none must")
            }
        }
        try same(f.energy != nil, hasEnergy, "an energy")
        try same(f.forces?.count == species.count, hasForces, "forces")
        try same(f.virial != nil, hasVirial, "a virial")
        try same(f.cell != nil, periodic, "a cell")
    }
}

/// One array of every set: its file, how many numbers each frame has, and how
/// a frame's numbers are put in place (all `perFrame` of them, always).
struct NpyColumn: Sendable {
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
