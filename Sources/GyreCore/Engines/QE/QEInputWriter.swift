import Foundation

/// Writes a pw.x input: the user's template with the blocks Gyre owns —
/// species (mass and pseudopotential looked up by element), cell and positions
/// in Å, and the k-point mesh.
public struct QEInputWriter: Sendable {
    public let template: InputTemplate
    public let settings: DFTSettings
    /// Species order: the workflow's `elements` (DeePMD's type_map).
    public let elements: [String]
    public let masses: [String: Double]

    public init(settings: DFTSettings, elements: [String], masses: [String: Double]) throws {
        self.template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
        self.elements = elements
        self.masses = masses
    }

    /// The template's values for `frame`; throws when an element has no pseudopotential or mass.
    public func values(for frame: Frame) throws -> [String: String] {
        guard let cell = frame.cell, cell.reciprocal != nil else {
            throw GyreError(.invalidInput, "pw.x needs a periodic cell; this \(frame.formula) frame has none (or a degenerate one)")
        }
        // Species present in the frame, in `elements` order; any extra symbol after them.
        let present = Set(frame.species)
        let species = elements.filter(present.contains) + present.subtracting(elements).sorted()
        var speciesLines = ["ATOMIC_SPECIES"]
        for symbol in species {
            guard let pseudo = settings.pseudopotentials[symbol] else {
                throw GyreError(.invalidInput, "label.pseudopotentials has no file for \(symbol)")
            }
            guard let mass = masses[symbol] ?? Element.named(symbol)?.mass else {
                throw GyreError(.invalidInput, "no mass for \(symbol): add it to `masses`")
            }
            speciesLines.append("\(symbol) \(Self.number(mass)) \(pseudo)")
        }
        let cellLines = ["CELL_PARAMETERS angstrom"] + (0..<3).map { Self.vector(cell.matrix[$0]) }
        let positionLines = ["ATOMIC_POSITIONS angstrom"]
            + zip(frame.species, frame.positions).map { "\($0) \(Self.vector($1))" }
        return [
            "pseudo_dir": settings.pseudoDirectory?.path ?? "./",
            "nat": "\(frame.count)",
            "ntyp": "\(species.count)",
            "atomic_species": speciesLines.joined(separator: "\n"),
            "cell_parameters": cellLines.joined(separator: "\n"),
            "atomic_positions": positionLines.joined(separator: "\n"),
            "k_points": kPoints(cell),
        ]
    }

    /// The whole pw.in text for `frame`.
    public func input(for frame: Frame) throws -> String {
        template.render(try values(for: frame))
    }

    /// `K_POINTS automatic` from `kspacing`, else Γ only (the cheap choice for big cells).
    func kPoints(_ cell: Cell) -> String {
        guard let spacing = settings.kspacing, let mesh = KPointMesh.mesh(for: cell, spacing: spacing) else {
            return "K_POINTS gamma"
        }
        return "K_POINTS automatic\n\(mesh[0]) \(mesh[1]) \(mesh[2]) 0 0 0"
    }

    /// Shortest text that reads back to the same Double (Fortran and dpdata
    /// read `1e-05` too), so the structure pw.x sees is the frame's to the last bit.
    static func number(_ x: Double) -> String {
        "\(x)"
    }

    static func vector(_ v: SIMD3<Double>) -> String {
        "\(number(v.x)) \(number(v.y)) \(number(v.z))"
    }
}
