import Foundation

/// Writes a CP2K input: the user's template with the blocks Gyre owns — the
/// &CELL (or a box around a molecule), &COORD in Å, and one &KIND per element
/// with its basis set and GTH pseudopotential looked up by element.
public struct CP2KInputWriter: Sendable {
    public let template: InputTemplate
    public let settings: DFTSettings
    public let elements: [String]

    /// The basis set and potential of an element `label.basis_sets` and
    /// `label.pseudopotentials` do not name: in CP2K's BASIS_MOLOPT and
    /// GTH_POTENTIALS for most elements (CP2K picks GTH-PBE-q<n> by element).
    public static let defaultBasisSet = "DZVP-MOLOPT-SR-GTH"
    public static let defaultPotential = "GTH-PBE"

    /// Vacuum added around a molecule's extent along each axis, Å.
    public static let vacuum = 7.0

    public init(settings: DFTSettings, elements: [String]) throws {
        self.template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
        self.elements = elements
    }

    /// The template's values for `frame`.
    public func values(for frame: Frame) throws -> [String: Any] {
        guard frame.count > 0 else { throw GyreError(.invalidInput, "cannot label a frame with no atoms") }
        var cellLines = ["    &CELL"]
        let periodic: Bool
        if let cell = frame.cell, cell.reciprocal != nil {
            periodic = cell.pbc != .none
            for (name, row) in zip(["A", "B", "C"], [cell.a, cell.b, cell.c]) {
                cellLines.append("      \(name) \(QEInputWriter.vector(row))")
            }
            let flags = (0..<3).map { cell.pbc[$0] ? ["X", "Y", "Z"][$0] : "" }.joined()
            cellLines.append("      PERIODIC \(flags.isEmpty ? "NONE" : flags)")
        } else {
            // A molecule: a cubic box with room around it; the template centres the atoms.
            periodic = false
            let lo = frame.positions.reduce(frame.positions[0]) { pointwiseMin($0, $1) }
            let hi = frame.positions.reduce(frame.positions[0]) { pointwiseMax($0, $1) }
            let edge = (hi - lo).max() + Self.vacuum
            cellLines.append("      ABC \(edge) \(edge) \(edge)")
            cellLines.append("      PERIODIC NONE")
        }
        cellLines.append("    &END CELL")
        let coordLines = ["    &COORD"] + zip(frame.species, frame.positions).map { "      \($0) \(QEInputWriter.vector($1))" }
            + ["    &END COORD"]
        let present = Set(frame.species)
        let species = elements.filter(present.contains) + present.subtracting(elements).sorted()
        let kinds = species.map { symbol in
            """
                &KIND \(symbol)
                  BASIS_SET \(settings.basisSets[symbol] ?? Self.defaultBasisSet)
                  POTENTIAL \(settings.pseudopotentials[symbol] ?? Self.defaultPotential)
                &END KIND
            """
        }
        return [
            "periodic": periodic,
            "cell": cellLines.joined(separator: "\n"),
            "coord": coordLines.joined(separator: "\n"),
            "kinds": kinds.joined(separator: "\n"),
            "charge": "\(settings.charge)",
            "multiplicity": "\(settings.multiplicity)",
        ]
    }

    public func input(for frame: Frame) throws -> String {
        template.render(try values(for: frame))
    }
}
