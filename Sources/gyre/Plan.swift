import ArgumentParser
import Foundation
import GyreCore

extension Gyre {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what the first iteration would create, without running anything.",
            discussion: """
                Lists, step by step, the tasks the first iteration creates: their \
                directories under the workdir and the command each runs.

                Example:
                  gyre plan Workflows/quickstart.yaml
                  gyre plan --json Workflows/quickstart.yaml | jq '.steps[].tasks | length'
                """
        )

        @Argument(help: "The workflow YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var workflow: String

        @Flag(help: "Print the plan as JSON.")
        var json = false

        func run() throws {
            let (loaded, diagnostics) = WorkflowLoader.analyze(URL(fileURLWithPath: workflow))
            DiagnosticPrinter().print(diagnostics)
            guard let loaded else { throw ExitCode(2) }
            let plan = RunPlan(loaded)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(plan), as: UTF8.self))
                return
            }
            print("workflow \(plan.workflow) → \(plan.workdir) (executor: \(plan.executor))")
            for step in plan.steps {
                print("\n\(step.iteration) \(step.step): \(step.note)")
                for task in step.tasks.prefix(8) {
                    print("  \(task.directory)  $ \(task.command.joined(separator: " "))")
                }
                if step.tasks.count > 8 { print("  … and \(step.tasks.count - 8) more") }
            }
        }
    }
}
