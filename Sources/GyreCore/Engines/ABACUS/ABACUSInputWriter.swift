import Foundation

/// Writes an ABACUS task: INPUT from the template, STRU (atoms grouped by
/// element in `elements` order; mass and pseudopotential looked up by
/// element) and KPT (Γ-centred mesh from `kspacing`, else Γ only).
///
/// STRU's lattice constant is 1 Å written in Bohr, so LATTICE_VECTORS and the
/// Cartesian ATOMIC_POSITIONS are plain ångströms.
public struct ABACUSInputWriter: Sendable {
    public let template: InputTemplate
    public let settings: DFTSettings
    public let elements: [String]
    public let masses: [String: Double]

    public init(settings: DFTSettings, elements: [String], masses: [String: Double]) throws {
        template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
        self.elements = elements
        self.masses = masses
    }

    /// The species order of STRU for `frame`: `elements` order, then any others by name.
    public func order(_ frame: Frame) -> [String] { ElementGrouping(elements: elements).order(frame) }

    /// `frame` with its atoms in STRU's order: the order ABACUS computes and reports forces in.
    public func grouped(_ frame: Frame) -> Frame { ElementGrouping(elements: elements).grouped(frame) }

    public func input(for frame: Frame) -> String {
        template.render([
            "ntype": "\(order(frame).count)",
            "pseudo_dir": settings.pseudoDirectory?.path ?? "./",
        ])
    }

    /// STRU for the already grouped `frame`.
    public func structure(_ frame: Frame) throws -> String {
        guard let cell = frame.cell, cell.reciprocal != nil else {
            throw GyreError(.invalidInput, "ABACUS with plane waves needs a cell; this \(frame.formula) frame has none")
        }
        let order = order(frame)
        var s = "ATOMIC_SPECIES\n"
        for symbol in order {
            guard let pseudo = settings.pseudopotentials[symbol] else {
                throw GyreError(.invalidInput, "label.pseudopotentials has no file for \(symbol)")
            }
            guard let mass = masses[symbol] ?? Element.named(symbol)?.mass else {
                throw GyreError(.invalidInput, "no mass for \(symbol): add it to `masses`")
            }
            s += "\(symbol) \(QEInputWriter.number(mass)) \(pseudo)\n"
        }
        s += "\nLATTICE_CONSTANT\n\(QEInputWriter.number(1 / Units.bohr))\n\nLATTICE_VECTORS\n"
        for row in [cell.a, cell.b, cell.c] { s += QEInputWriter.vector(row) + "\n" }
        s += "\nATOMIC_POSITIONS\nCartesian\n"
        for symbol in order {
            let atoms = zip(frame.species, frame.positions).filter { $0.0 == symbol }.map(\.1)
            // Per species: label, starting magnetisation, count, then x y z and the move flags.
            s += "\n\(symbol)\n0.0\n\(atoms.count)\n"
            for p in atoms { s += QEInputWriter.vector(p) + " 1 1 1\n" }
        }
        return s
    }

    /// KPT: a Γ-centred Monkhorst–Pack mesh.
    public func kPoints(_ frame: Frame) -> String {
        let mesh = frame.cell.flatMap { cell in settings.kspacing.flatMap { KPointMesh.mesh(for: cell, spacing: $0) } } ?? [1, 1, 1]
        return "K_POINTS\n0\nGamma\n\(mesh[0]) \(mesh[1]) \(mesh[2]) 0 0 0\n"
    }

    /// Writes INPUT, STRU and KPT for the already grouped `frame` into `directory`.
    public func write(_ frame: Frame, in directory: URL) throws {
        let stru = try structure(frame)
        try AtomicFile.write(input(for: frame), to: directory.appendingPathComponent("INPUT"))
        try AtomicFile.write(stru, to: directory.appendingPathComponent("STRU"))
        try AtomicFile.write(kPoints(frame), to: directory.appendingPathComponent("KPT"))
    }
}
