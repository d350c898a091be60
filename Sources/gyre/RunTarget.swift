import ArgumentParser
import Foundation
import GyreCore

/// A command argument naming a run: its workdir, or its workflow file (whose
/// `workdir:` is used). Shared by `gyre status` and `gyre report`.
enum RunTarget {
    /// The workdir, which must hold a journal; invalid workflows and missing
    /// journals are reported on stderr and exit 2.
    static func workdir(_ target: String) throws -> URL {
        var workdir = URL(fileURLWithPath: target)
        if target.hasSuffix(".yaml") || target.hasSuffix(".yml") {
            let (loaded, diagnostics) = WorkflowLoader.analyze(workdir)
            DiagnosticPrinter().print(diagnostics)
            guard let loaded else { throw ExitCode(2) }
            workdir = loaded.workdir
        }
        guard FileManager.default.fileExists(atPath: workdir.appendingPathComponent(Journal.fileName).path) else {
            FileHandle.standardError.write(Data("error: no run journal (\(Journal.fileName)) in \(workdir.path)\n".utf8))
            throw ExitCode(2)
        }
        return workdir
    }
}
