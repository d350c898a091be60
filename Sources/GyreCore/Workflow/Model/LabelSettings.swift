import Foundation

public struct LabelSettings: Sendable {
    public enum Engine: Sendable {
        case builtin(ReferencePotential)
        case qe(DFTSettings)
        case vasp(DFTSettings)
        case cp2k(DFTSettings)
        case abacus(DFTSettings)
        case gaussian(DFTSettings)

        public var name: String {
            switch self {
            case .builtin: "builtin"
            case .qe: "qe"
            case .vasp: "vasp"
            case .cp2k: "cp2k"
            case .abacus: "abacus"
            case .gaussian: "gaussian"
            }
        }
    }

    public var engine: Engine
    /// Largest fraction of an iteration's label tasks that may fail before the run stops.
    public var maxFailed: Double
    public var step: StepSettings
}

/// The built-in potentials that stand in for DFT.
public enum ReferencePotential: Sendable, Hashable {
    case emt
    case sw
    case lj(epsilon: Double, sigma: Double, cutoff: Double)

    public var name: String {
        switch self {
        case .emt: "emt"
        case .sw: "sw"
        case .lj: "lj"
        }
    }
}

/// What a DFT code's adapter needs: a template plus per-element files, k-points and a command.
public struct DFTSettings: Sendable {
    public var template: URL
    public var command: String
    /// Pseudopotential / POTCAR / basis file per element (looked up by element, never by position).
    public var pseudopotentials: [String: String]
    public var pseudoDirectory: URL?
    /// k-point spacing (2π/Å included, as n_i = max(1, ceil(2π|b_i|/k))); nil: the template's or Γ.
    public var kspacing: Double?
    /// Gaussian only.
    public var charge: Int
    public var multiplicity: Int
    /// CP2K only: the basis set per element (`&KIND … BASIS_SET`); elements
    /// not listed get `CP2KInputWriter.defaultBasisSet`. CP2K's potential per
    /// element is in `pseudopotentials`.
    public var basisSets: [String: String] = [:]
    /// Gaussian only: the basis the template's route line names as `{{basis}}`.
    public var basis: String = GaussianLabelAdapter.defaultBasis
}
