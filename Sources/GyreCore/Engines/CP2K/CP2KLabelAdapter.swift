import Foundation

/// Labels frames with CP2K: writes `input.inp` from the template and the
/// frame itself (`structure.extxyz`, so the labelled frame keeps the exact
/// geometry rather than CP2K's printed digits), runs the user's command, and
/// reads `output` (or the task's captured stdout).
public struct CP2KLabelAdapter: StructureKeepingAdapter {
    public static let inputName = "input.inp"
    public static let outputNames = ["output", "cp2k.out", "stdout.log"]

    public let writer: CP2KInputWriter

    public init(settings: DFTSettings, elements: [String]) throws {
        writer = try CP2KInputWriter(settings: settings, elements: elements)
    }

    public var shellCommand: String { writer.settings.command }

    public func writeInputs(for frame: Frame, in directory: URL) throws -> Frame {
        try AtomicFile.write(try writer.input(for: frame), to: directory.appendingPathComponent(Self.inputName))
        return frame
    }

    public func labels(for structure: Frame, in directory: URL) -> Result<Frame, LabelRejection> {
        let outputs = Self.outputNames.map { directory.appendingPathComponent($0) }
        guard let output = outputs.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
              let data = try? Data(contentsOf: output)
        else {
            return .failure(LabelRejection("no cp2k output (\(Self.outputNames.joined(separator: " or ")))"))
        }
        let parsed = CP2KOutput(String(decoding: data, as: UTF8.self))
        return parsed.labels(natoms: structure.count, volume: structure.cell?.volume).flatMap { energy, forces, virial in
            LabelCheck.labelled(structure, energy: energy, forces: forces, virial: virial)
        }
    }
}
