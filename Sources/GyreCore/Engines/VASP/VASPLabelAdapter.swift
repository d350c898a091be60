import Foundation

/// Labels frames with VASP: writes INCAR/POSCAR/KPOINTS/POTCAR plus the
/// grouped frame (`structure.extxyz`, exact positions in VASP's atom order),
/// runs the user's command, and reads OUTCAR.
public struct VASPLabelAdapter: StructureKeepingAdapter {
    public let writer: VASPInputWriter

    public init(settings: DFTSettings, elements: [String]) throws {
        writer = try VASPInputWriter(settings: settings, elements: elements)
    }

    public var shellCommand: String { writer.settings.command }

    public func writeInputs(for frame: Frame, in directory: URL) throws -> Frame {
        let grouped = writer.grouped(frame)
        try writer.write(grouped, in: directory)
        return grouped
    }

    public func labels(for structure: Frame, in directory: URL) -> Result<Frame, LabelRejection> {
        guard let outcar = try? VASPOutcar(contentsOf: directory.appendingPathComponent("OUTCAR")) else {
            return .failure(LabelRejection("no OUTCAR"))
        }
        return outcar.labels(natoms: structure.count, volume: structure.cell?.volume).flatMap { energy, forces, virial in
            LabelCheck.labelled(structure, energy: energy, forces: forces, virial: virial)
        }
    }
}
