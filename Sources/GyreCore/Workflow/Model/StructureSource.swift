import Foundation

/// Where atoms come from: a lattice Gyre builds, or a structure file.
public enum StructureSource: Sendable, Hashable {
    case lattice(LatticeSpec)
    case file(URL)
}

/// A crystal built from a lattice type, its constant, the species on it and a repeat.
public struct LatticeSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case sc, bcc, fcc, hcp, diamond
    }

    public var kind: Kind
    /// Lattice constant a, Å.
    public var a: Double
    /// c for hcp, Å (default: the ideal √(8/3)·a).
    public var c: Double?
    /// Fraction of sites per element; one element with 1.0 for a pure crystal.
    /// Sites are assigned by seeded random substitution.
    public var composition: [(element: String, fraction: Double)]
    public var repetitions: [Int]

    public static func == (lhs: LatticeSpec, rhs: LatticeSpec) -> Bool {
        lhs.kind == rhs.kind && lhs.a == rhs.a && lhs.c == rhs.c && lhs.repetitions == rhs.repetitions
            && lhs.composition.map(\.element) == rhs.composition.map(\.element)
            && lhs.composition.map(\.fraction) == rhs.composition.map(\.fraction)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(a)
        hasher.combine(repetitions)
        for (e, f) in composition {
            hasher.combine(e)
            hasher.combine(f)
        }
    }
}

/// Initial training data: existing labelled frames, or perturbed lattices
/// labelled by the label engine before the first iteration.
public enum DataSource: Sendable, Hashable {
    case path(URL)
    case generate(GeneratedData)
}

public struct GeneratedData: Sendable, Hashable {
    public var lattice: LatticeSpec
    /// Standard deviation of random displacements, Å.
    public var rattle: Double
    /// Largest relative strain of each cell component.
    public var strain: Double
    public var count: Int
}
