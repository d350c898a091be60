/// One atomic configuration, the unit every step of the loop moves between
/// files: species and positions, the cell, and — once labelled — energy,
/// forces and virial (eV, eV/Å, eV).
public struct Frame: Equatable, Sendable {
    /// Element symbol per atom ("Cu", "O"); the order of atoms is kept as read.
    public var species: [String]
    /// Cartesian positions, Å.
    public var positions: [SIMD3<Double>]
    /// nil for an isolated molecule with no cell at all.
    public var cell: Cell?
    /// Total potential energy, eV.
    public var energy: Double?
    /// Force on each atom, eV/Å.
    public var forces: [SIMD3<Double>]?
    /// Virial W = −σ·V, eV (DeePMD's convention).
    public var virial: Matrix3?

    public init(
        species: [String], positions: [SIMD3<Double>], cell: Cell?,
        energy: Double? = nil, forces: [SIMD3<Double>]? = nil, virial: Matrix3? = nil
    ) {
        self.species = species
        self.positions = positions
        self.cell = cell
        self.energy = energy
        self.forces = forces
        self.virial = virial
    }

    public var count: Int { positions.count }

    /// True when energy and forces are present: the frame can train a model.
    public var isLabelled: Bool { energy != nil && forces != nil }

    /// Hill-order chemical formula with counts, e.g. "Au4Cu28"; names deepmd/npy systems.
    public var formula: String {
        var counts: [String: Int] = [:]
        for s in species { counts[s, default: 0] += 1 }
        let order: [String]
        if counts["C"] != nil {
            order = ["C", "H"].filter { counts[$0] != nil }
                + counts.keys.filter { $0 != "C" && $0 != "H" }.sorted()
        } else {
            order = counts.keys.sorted()
        }
        return order.map { "\($0)\(counts[$0] ?? 0)" }.joined()
    }
}
