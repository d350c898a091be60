import ArgumentParser
import Foundation
import GyreCore

extension Gyre {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a workflow without running anything.",
            discussion: """
                Reads the workflow, checks every key, value, referenced file and \
                cross-reference, and prints each problem as file:line:col: error: … \
                (all of them, not only the first). Exit status 0 when the workflow \
                is valid, 2 when it is not.

                Example:
                  gyre check Workflows/quickstart.yaml
                """
        )

        @Argument(help: "The workflow YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var workflow: String

        @Flag(name: .shortAndLong, help: "Print nothing when the workflow is valid.")
        var quiet = false

        func run() throws {
            let (loaded, diagnostics) = WorkflowLoader.analyze(URL(fileURLWithPath: workflow))
            DiagnosticPrinter().print(diagnostics)
            guard let loaded else {
                let errors = diagnostics.filter { $0.severity == .error }.count
                FileHandle.standardError.write(Data("\(errors) error\(errors == 1 ? "" : "s") in \(workflow)\n".utf8))
                throw ExitCode(2)
            }
            if !quiet {
                let stages = loaded.explore.stages.map(\.name).joined(separator: ", ")
                print("\(workflow): valid — \(loaded.name): \(loaded.elements.joined(separator: " ")), "
                    + "\(loaded.explore.stages.count) stage\(loaded.explore.stages.count == 1 ? "" : "s") (\(stages)), "
                    + "workdir \(loaded.workdir.path)")
            }
        }
    }
}
