import GyreCore

/// What a potential computes for one configuration (eV, eV/Å, eV).
public struct PotentialResult: Sendable {
    /// Total potential energy, eV.
    public var energy: Double
    /// Force on each atom, eV/Å.
    public var forces: [SIMD3<Double>]
    /// Virial W = Σ_pairs r_ij ⊗ f_ij = −σ·V, eV (DeePMD's convention, ASE stress × −volume).
    public var virial: Matrix3
    /// Energy per atom when the potential defines one, eV.
    public var atomicEnergies: [Double]?

    public init(energy: Double, forces: [SIMD3<Double>], virial: Matrix3, atomicEnergies: [Double]? = nil) {
        self.energy = energy
        self.forces = forces
        self.virial = virial
        self.atomicEnergies = atomicEnergies
    }
}

/// An interatomic potential: energy, forces and virial from positions.
/// Reference potentials (EMT, Stillinger–Weber, Lennard-Jones) and the ML
/// ensemble members all conform, so MD and labelling drive any of them.
public protocol Potential: Sendable {
    /// Largest interaction distance, Å.
    var cutoff: Double { get }
    /// Element symbol for each species index the potential understands.
    var elements: [String] { get }
    /// Energy, forces and virial. `species[i]` indexes `elements`; `neighbors` was
    /// built for these positions and cell with a cutoff ≥ `cutoff` (it may be larger,
    /// e.g. cutoff + Verlet skin, so distances must be checked against `cutoff`).
    func evaluate(species: [Int], positions: [SIMD3<Double>], cell: Cell?, neighbors: NeighborList) -> PotentialResult
}

extension Potential {
    /// Index into `elements` for each symbol; a located error names the first unknown one.
    public func speciesIndices(_ symbols: [String]) throws -> [Int] {
        var lookup: [String: Int] = [:]
        for (k, e) in elements.enumerated() where lookup[e] == nil { lookup[e] = k }
        return try symbols.enumerated().map { i, s in
            guard let k = lookup[s] else {
                throw GyreError(
                    .invalidInput,
                    "atom \(i) is \(s), which this potential does not describe (it knows \(elements.joined(separator: ", ")))")
            }
            return k
        }
    }

    /// Evaluates a frame: resolves element symbols, checks the cell, builds the neighbour list.
    public func evaluate(_ frame: Frame) throws -> PotentialResult {
        guard frame.species.count == frame.positions.count else {
            throw GyreError(.invalidInput, "frame has \(frame.species.count) species but \(frame.positions.count) positions")
        }
        let species = try speciesIndices(frame.species)
        if let cell = frame.cell {
            let periodic = cell.pbc.a || cell.pbc.b || cell.pbc.c
            if periodic && cell.matrix.inverse == nil {
                throw GyreError(.invalidInput, "the cell is degenerate (volume \(cell.volume) Å³) but periodic")
            }
        }
        guard frame.positions.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
            throw GyreError(.invalidInput, "frame has non-finite positions")
        }
        let list = NeighborList(positions: frame.positions, cell: frame.cell, cutoff: cutoff)
        return evaluate(species: species, positions: frame.positions, cell: frame.cell, neighbors: list)
    }
}
