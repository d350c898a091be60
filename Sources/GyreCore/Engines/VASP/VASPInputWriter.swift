import Foundation

/// Writes a VASP task: INCAR from the template, POSCAR (atoms grouped by
/// element in `elements` order), KPOINTS from `kspacing` (Γ-centred) or Γ
/// only, and POTCAR concatenated from each element's file in POSCAR order.
public struct VASPInputWriter: Sendable {
    public let template: InputTemplate
    public let settings: DFTSettings
    public let elements: [String]

    public init(settings: DFTSettings, elements: [String]) throws {
        self.template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
        self.elements = elements
    }

    /// The species order of POSCAR and POTCAR for `frame`.
    public func order(_ frame: Frame) -> [String] { ElementGrouping(elements: elements).order(frame) }

    /// `frame` with its atoms in POSCAR's order: the order VASP computes and reports in.
    public func grouped(_ frame: Frame) -> Frame { ElementGrouping(elements: elements).grouped(frame) }

    /// Writes INCAR, POSCAR, KPOINTS and POTCAR for the already grouped `frame` into `directory`.
    public func write(_ frame: Frame, in directory: URL) throws {
        guard let cell = frame.cell else { throw GyreError(.invalidInput, "VASP needs a cell; this \(frame.formula) frame has none") }
        let order = order(frame)
        var potcar = Data()
        for symbol in order {
            guard let name = settings.pseudopotentials[symbol] else {
                throw GyreError(.invalidInput, "label.pseudopotentials has no POTCAR for \(symbol)")
            }
            let url = settings.pseudoDirectory.map { $0.appendingPathComponent(name) } ?? URL(fileURLWithPath: name)
            do {
                potcar.append(try Data(contentsOf: url))
            } catch {
                throw GyreError(.io, "cannot read the POTCAR for \(symbol)", at: SourceLocation(file: url.path), cause: error)
            }
        }
        try AtomicFile.write(template.render(["elements": order.joined(separator: " ")]), to: directory.appendingPathComponent("INCAR"))
        try AtomicFile.write(try POSCAR.format(frame, elementOrder: order, coordinates: .cartesian), to: directory.appendingPathComponent("POSCAR"))
        try AtomicFile.write(kPoints(cell), to: directory.appendingPathComponent("KPOINTS"))
        try potcar.write(to: directory.appendingPathComponent("POTCAR"), options: .atomic)
    }

    func kPoints(_ cell: Cell) -> String {
        let mesh = settings.kspacing.flatMap { KPointMesh.mesh(for: cell, spacing: $0) } ?? [1, 1, 1]
        return "k-points from Gyre (kspacing \(settings.kspacing.map { "\($0)" } ?? "none: Γ only"))\n0\nGamma\n\(mesh[0]) \(mesh[1]) \(mesh[2])\n0 0 0\n"
    }
}
