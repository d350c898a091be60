import Foundation

/// Labels frames with Quantum ESPRESSO pw.x: writes `pw.in` from the
/// template, runs the user's command through the shell, and reads `pw.out`
/// (or the task's captured stdout) back with the structure from `pw.in`.
public struct QELabelAdapter: LabelAdapter {
    public static let inputName = "pw.in"
    /// Where the output is looked for, in order: a file the user's command or
    /// a remote run wrote, then the executor's capture of stdout.
    public static let outputNames = ["pw.out", "stdout.log"]

    public let writer: QEInputWriter

    public init(settings: DFTSettings, elements: [String], masses: [String: Double]) throws {
        writer = try QEInputWriter(settings: settings, elements: elements, masses: masses)
    }

    /// The configured command (the user's own, e.g. `mpirun -np 4 pw.x -in pw.in`)
    /// through the shell; nothing from frames or paths is substituted into it.
    public var command: [String] { ["/bin/sh", "-c", writer.settings.command] }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        try AtomicFile.write(try writer.input(for: frame), to: directory.appendingPathComponent(Self.inputName))
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        Self.frame(in: directory)
    }

    /// The labelled frame of a task directory: its `pw.in` and pw.x output.
    public static func frame(in directory: URL) -> Result<Frame, LabelRejection> {
        let dir = directory.path
        guard let structure = try? OutputScan.withFile(dir + "/" + Self.inputName, QEInputStructure.read) else {
            return .failure(LabelRejection("no readable \(Self.inputName)"))
        }
        for name in Self.outputNames {
            do {
                if let output = try OutputScan.withFile(dir + "/" + name, QEOutput.init(scanning:)) {
                    return Self.frame(structure: structure, output: output)
                }
            } catch {
                return .failure(LabelRejection("\(name) is unreadable"))
            }
        }
        return .failure(LabelRejection("no pw.x output (\(Self.outputNames.joined(separator: " or ")))"))
    }

    /// The labelled frame from a pw.x input and its output text.
    public static func frame(input: String, output: String) -> Result<Frame, LabelRejection> {
        frame(structure: QEInputStructure.read(input), output: QEOutput(output))
    }

    static func frame(structure: Result<Frame, LabelRejection>, output: QEOutput) -> Result<Frame, LabelRejection> {
        structure.flatMap { structure in
            output.labels(natoms: structure.count, cell: structure.cell).flatMap { energy, forces, virial in
                LabelCheck.labelled(structure, energy: energy, forces: forces, virial: virial)
            }
        }
    }
}
