import Foundation

/// Labels frames with VASP: writes INCAR/POSCAR/KPOINTS/POTCAR plus the
/// grouped frame (`structure.extxyz`, exact positions in VASP's atom order),
/// runs the user's command, and reads OUTCAR.
public struct VASPLabelAdapter: LabelAdapter {
    public let writer: VASPInputWriter

    public init(settings: DFTSettings, elements: [String]) throws {
        writer = try VASPInputWriter(settings: settings, elements: elements)
    }

    /// The user's configured command through the shell; nothing from frames is substituted.
    public var command: [String] { ["/bin/sh", "-c", writer.settings.command] }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        let grouped = writer.grouped(frame)
        try writer.write(grouped, in: directory)
        try TaskStructure.save(grouped, in: directory)
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        TaskStructure.load(in: directory).flatMap { structure in labels(for: structure, in: directory) }
    }

    private func labels(for structure: Frame, in directory: URL) -> Result<Frame, LabelRejection> {
        guard let outcar = try? VASPOutcar(contentsOf: directory.appendingPathComponent("OUTCAR")) else {
            return .failure(LabelRejection("no OUTCAR"))
        }
        return outcar.labels(natoms: structure.count, volume: structure.cell?.volume).flatMap { energy, forces, virial in
            LabelCheck.labelled(structure, energy: energy, forces: forces, virial: virial)
        }
    }
}
