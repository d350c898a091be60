/// One element's effective-medium-theory parameters in ASE's table units
/// (eV, Bohr, Bohr⁻¹, Bohr⁻³), as published by Jacobsen, Stoltze and Nørskov
/// (Surf. Sci. 366, 394 (1996)) and tabulated in ASE's `ase.calculators.emt`.
public struct EMTParameters: Sendable, Hashable {
    public let symbol: String
    /// Cohesive energy E0, eV.
    public let e0: Double
    /// Neutral sphere radius s0, Bohr.
    public let s0: Double
    /// V0, eV.
    public let v0: Double
    /// η2, Bohr⁻¹.
    public let eta2: Double
    /// κ, Bohr⁻¹.
    public let kappa: Double
    /// λ, Bohr⁻¹.
    public let lambda: Double
    /// n0, Bohr⁻³.
    public let n0: Double

    /// ASE's standard set: the seven fcc metals, plus H, C, N, O which ASE marks
    /// as not for serious use (kept because ASE has them, so references agree).
    public static let standard: [EMTParameters] = [
        EMTParameters(symbol: "Al", e0: -3.28, s0: 3.00, v0: 1.493, eta2: 1.240, kappa: 2.000, lambda: 1.169, n0: 0.00700),
        EMTParameters(symbol: "Cu", e0: -3.51, s0: 2.67, v0: 2.476, eta2: 1.652, kappa: 2.740, lambda: 1.906, n0: 0.00910),
        EMTParameters(symbol: "Ag", e0: -2.96, s0: 3.01, v0: 2.132, eta2: 1.652, kappa: 2.790, lambda: 1.892, n0: 0.00547),
        EMTParameters(symbol: "Au", e0: -3.80, s0: 3.00, v0: 2.321, eta2: 1.674, kappa: 2.873, lambda: 2.182, n0: 0.00703),
        EMTParameters(symbol: "Ni", e0: -4.44, s0: 2.60, v0: 3.673, eta2: 1.669, kappa: 2.757, lambda: 1.948, n0: 0.01030),
        EMTParameters(symbol: "Pd", e0: -3.90, s0: 2.87, v0: 2.773, eta2: 1.818, kappa: 3.107, lambda: 2.155, n0: 0.00688),
        EMTParameters(symbol: "Pt", e0: -5.85, s0: 2.90, v0: 4.067, eta2: 1.812, kappa: 3.145, lambda: 2.192, n0: 0.00802),
        EMTParameters(symbol: "H", e0: -3.21, s0: 1.31, v0: 0.132, eta2: 2.652, kappa: 2.790, lambda: 3.892, n0: 0.00547),
        EMTParameters(symbol: "C", e0: -3.50, s0: 1.81, v0: 0.332, eta2: 1.652, kappa: 2.790, lambda: 1.892, n0: 0.01322),
        EMTParameters(symbol: "N", e0: -5.10, s0: 1.88, v0: 0.132, eta2: 1.652, kappa: 2.790, lambda: 1.892, n0: 0.01222),
        EMTParameters(symbol: "O", e0: -4.60, s0: 1.95, v0: 0.332, eta2: 1.652, kappa: 2.790, lambda: 1.892, n0: 0.00850),
    ]
}
