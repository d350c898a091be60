import Foundation

/// Labels frames with ABACUS: writes INPUT/STRU/KPT plus the grouped frame
/// (`structure.extxyz`, exact positions in ABACUS's atom order), runs the
/// user's command, and reads `OUT.<suffix>/running_scf.log`.
public struct ABACUSLabelAdapter: StructureKeepingAdapter {
    public static let logName = "running_scf.log"

    public let writer: ABACUSInputWriter

    public init(settings: DFTSettings, elements: [String], masses: [String: Double]) throws {
        writer = try ABACUSInputWriter(settings: settings, elements: elements, masses: masses)
    }

    public var shellCommand: String { writer.settings.command }

    public func writeInputs(for frame: Frame, in directory: URL) throws -> Frame {
        let grouped = writer.grouped(frame)
        try writer.write(grouped, in: directory)
        return grouped
    }

    public func labels(for structure: Frame, in directory: URL) -> Result<Frame, LabelRejection> {
        // The log's directory is named by INPUT's `suffix`: take whichever OUT.* holds one.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let logs = names.filter { $0.hasPrefix("OUT.") }.sorted()
            .map { directory.appendingPathComponent($0).appendingPathComponent(Self.logName) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        guard let log = logs.first else { return .failure(LabelRejection("no OUT.*/\(Self.logName)")) }
        guard logs.count == 1 else {
            return .failure(LabelRejection("\(logs.count) OUT.*/\(Self.logName) files: cannot tell which run is this task's"))
        }
        guard let data = try? Data(contentsOf: log) else { return .failure(LabelRejection("\(Self.logName) is unreadable")) }
        return ABACUSLog(String(decoding: data, as: UTF8.self)).frame(structure)
    }
}
