import ArgumentParser
import GyreBuiltin
import GyreCore

/// The built-in reference potentials by name.
enum ReferencePotentialKind: String, ExpressibleByArgument, CaseIterable {
    case emt, sw, lj
}

/// `--potential` and its Lennard-Jones parameters, shared by `engine label` and `engine md`.
struct ReferencePotentialOptions: ParsableArguments {
    @Option(help: "Reference potential: emt (ASE's EMT: Al Cu Ag Au Ni Pd Pt H C N O), sw (Stillinger–Weber Si), lj (Lennard-Jones).")
    var potential: ReferencePotentialKind?

    @Option(name: .customLong("lj-epsilon"), help: "Lennard-Jones well depth ε, eV (same for every element).")
    var ljEpsilon: Double?

    @Option(name: .customLong("lj-sigma"), help: "Lennard-Jones σ, Å.")
    var ljSigma: Double?

    @Option(name: .customLong("lj-cutoff"), help: "Lennard-Jones cutoff, Å (default 2.5 σ).")
    var ljCutoff: Double?

    @Flag(name: .customLong("lj-shifted"), help: "Shift the Lennard-Jones energy to zero at the cutoff.")
    var ljShifted = false

    func validate() throws {
        if potential == .lj {
            guard let e = ljEpsilon, let s = ljSigma else {
                throw ValidationError("--potential lj needs --lj-epsilon and --lj-sigma")
            }
            guard e > 0, s > 0, (ljCutoff ?? 2.5 * s) > 0 else {
                throw ValidationError("--lj-epsilon, --lj-sigma and --lj-cutoff must be positive")
            }
        } else if ljEpsilon != nil || ljSigma != nil || ljCutoff != nil || ljShifted {
            throw ValidationError("--lj-* options need --potential lj")
        }
    }

    /// The chosen potential for a system made of `elements`, or nil when none was chosen.
    func make(elements: [String]) throws -> (any Potential)? {
        switch potential {
        case nil: return nil
        case .emt: return EMT()
        case .sw:
            // Si.sw parameters: any other element is reported by the potential as unknown.
            return StillingerWeber()
        case .lj:
            let sigma = ljSigma ?? 1
            let unique = Array(Set(elements)).sorted()
            return LennardJones(elements: unique, epsilon: ljEpsilon ?? 0, sigma: sigma,
                                cutoff: ljCutoff ?? 2.5 * sigma, shifted: ljShifted)
        }
    }
}
