import Foundation

/// Labels frames with VASP: writes INCAR/POSCAR/KPOINTS/POTCAR plus the
/// grouped frame (`structure.extxyz`, exact positions in VASP's atom order),
/// runs the user's command, and reads OUTCAR.
public struct VASPLabelAdapter: LabelAdapter {
    public static let structureName = "structure.extxyz"

    public let writer: VASPInputWriter

    public init(settings: DFTSettings, elements: [String]) throws {
        writer = try VASPInputWriter(settings: settings, elements: elements)
    }

    /// The user's configured command through the shell; nothing from frames is substituted.
    public var command: [String] { ["/bin/sh", "-c", writer.settings.command] }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        let grouped = writer.grouped(frame)
        try writer.write(grouped, in: directory)
        try AtomicFile.write(ExtXYZ.format(grouped), to: directory.appendingPathComponent(Self.structureName))
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        guard let structures = try? ExtXYZ.read(directory.appendingPathComponent(Self.structureName)),
              structures.count == 1, let structure = structures.first
        else { return .failure(LabelRejection("no readable \(Self.structureName)")) }
        guard let outcar = try? VASPOutcar(contentsOf: directory.appendingPathComponent("OUTCAR")) else {
            return .failure(LabelRejection("no OUTCAR"))
        }
        return outcar.labels(natoms: structure.count, volume: structure.cell?.volume).flatMap { energy, forces, virial in
            LabelCheck.labelled(structure, energy: energy, forces: forces, virial: virial)
        }
    }
}
