import GyreCore

/// A labelled frame prepared for fitting: species as indices into the
/// descriptor's elements and its neighbour list built once.
struct TrainingFrame: Sendable {
    let frame: Frame
    let species: [Int]
    let neighbors: NeighborList
    let energy: Double
    let forces: [SIMD3<Double>]
    /// Present only for periodic frames whose label carries a virial.
    let virial: Matrix3?

    init(_ frame: Frame, index: Int, elements: [String], cutoff: Double) throws {
        guard let energy = frame.energy, let forces = frame.forces, forces.count == frame.count, energy.isFinite else {
            throw GyreError(.invalidInput, "training frame \(index) has no energy or forces (\(frame.formula))")
        }
        guard frame.species.count == frame.count, frame.count > 0 else {
            throw GyreError(.invalidInput, "training frame \(index) has \(frame.species.count) species for \(frame.count) positions")
        }
        var lookup: [String: Int] = [:]
        for (k, e) in elements.enumerated() { lookup[e] = k }
        species = try frame.species.map { s in
            guard let k = lookup[s] else {
                throw GyreError(
                    .invalidInput, "training frame \(index) contains \(s), which is not among the model elements \(elements.joined(separator: ","))")
            }
            return k
        }
        if let cell = frame.cell, cell.pbc.a || cell.pbc.b || cell.pbc.c, cell.matrix.inverse == nil {
            throw GyreError(.invalidInput, "training frame \(index) has a degenerate periodic cell")
        }
        self.frame = frame
        self.energy = energy
        self.forces = forces
        virial = frame.cell != nil ? frame.virial : nil
        neighbors = NeighborList(positions: frame.positions, cell: frame.cell, cutoff: cutoff)
    }
}
