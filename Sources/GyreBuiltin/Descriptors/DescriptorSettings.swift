import GyreCore

/// How atomic environments are described: a smooth Chebyshev radial basis per
/// neighbour element inside `cutoff`, and rotation-invariant contractions of its
/// l = 0, 1, 2 moments (a small moment-tensor / ACE-like body-order-3 basis).
///
/// Per centre atom the features are, with channel = (neighbour element, radial n):
/// the radial densities M0_c, their pairwise products M0_c·M0_c', and the angular
/// invariants M1_a·M1_b and M2_a:M2_b over the first `angularCount` radial functions.
public struct DescriptorSettings: Codable, Sendable, Hashable {
    /// Element symbols; the index of a symbol is its species index.
    public var elements: [String]
    /// Radius beyond which neighbours do not contribute, Å.
    public var cutoff: Double
    /// Distance mapped to the start of the Chebyshev interval, Å. Closer pairs still
    /// work (the polynomials just grow), it only sets where resolution is spent.
    public var innerRadius: Double
    /// Number of radial functions per neighbour element for the l = 0 features.
    public var radialCount: Int
    /// Number of radial functions per neighbour element for the l = 1, 2 features.
    public var angularCount: Int

    /// Defaults sized for metals at ~3.6 Å lattice constants (Cu, Au, Ni, Al).
    public init(elements: [String], cutoff: Double = 5.0, innerRadius: Double = 1.5, radialCount: Int = 8, angularCount: Int = 6) {
        self.elements = elements
        self.cutoff = cutoff
        self.innerRadius = innerRadius
        self.radialCount = radialCount
        self.angularCount = angularCount
    }

    /// Radial channels: neighbour element × radial function.
    public var radialChannels: Int { elements.count * radialCount }
    /// Angular channels: neighbour element × angular radial function.
    public var angularChannels: Int { elements.count * angularCount }

    /// Number of features per atom.
    public var featureCount: Int {
        let c = radialChannels
        let a = angularChannels
        return c + c * (c + 1) / 2 + a * (a + 1)
    }

    /// The settings are usable: named elements, positive sizes, inner radius below the cutoff.
    public func validate() throws {
        guard !elements.isEmpty else { throw GyreError(.invalidInput, "descriptor needs at least one element") }
        guard Set(elements).count == elements.count else {
            throw GyreError(.invalidInput, "descriptor elements repeat: \(elements.joined(separator: ","))")
        }
        guard cutoff.isFinite, cutoff > 0, innerRadius >= 0, innerRadius < cutoff else {
            throw GyreError(.invalidInput, "descriptor needs 0 ≤ innerRadius < cutoff, got \(innerRadius) and \(cutoff)")
        }
        guard radialCount >= 1, radialCount <= 32, angularCount >= 0, angularCount <= radialCount else {
            throw GyreError(.invalidInput, "descriptor needs 1 ≤ radialCount ≤ 32 and 0 ≤ angularCount ≤ radialCount")
        }
    }
}
