import Foundation

/// A label adapter that keeps the exact structure each task was written for
/// (`structure.extxyz`, see `TaskStructure`) and attaches the labels it reads
/// back to it, rather than to the engine's printed digits: CP2K, VASP, ABACUS.
public protocol StructureKeepingAdapter: LabelAdapter {
    /// The user's configured command, run through the shell; nothing from frames is substituted.
    var shellCommand: String { get }

    /// Writes the engine's input files for `frame` into `directory`.
    /// - Returns: the structure the inputs describe, in the engine's atom order.
    func writeInputs(for frame: Frame, in directory: URL) throws -> Frame

    /// The labels in `directory`'s outputs attached to `structure`, or why they are refused.
    func labels(for structure: Frame, in directory: URL) -> Result<Frame, LabelRejection>
}

extension StructureKeepingAdapter {
    public var command: [String] { ["/bin/sh", "-c", shellCommand] }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        try TaskStructure.save(try writeInputs(for: frame, in: directory), in: directory)
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        TaskStructure.load(in: directory).flatMap { structure in labels(for: structure, in: directory) }
    }
}
