import Foundation
import Mustache

/// The Mustache template every job script is made from: the user's
/// `Templates/slurm/job.sh` when the workflow has one, else the built-in copy
/// (identical to the repository's `Templates/slurm/job.sh`).
struct SlurmJobTemplate: Sendable {
    /// Where the template came from, for error messages.
    let origin: String
    let text: String

    /// Checks that `text` parses and renders the tasks, so a broken template
    /// fails before anything is submitted.
    init(text: String, origin: String) throws {
        do {
            _ = try MustacheTemplate(string: text)
        } catch {
            throw GyreError(.invalidInput, "\(origin): not a valid Mustache template: \(error)")
        }
        guard text.contains("{{{tasks}}}") || text.contains("{{& tasks}}") || text.contains("{{&tasks}}") else {
            throw GyreError(.invalidInput, "\(origin): the job script template must contain {{{tasks}}}, which runs the job's tasks")
        }
        self.text = text
        self.origin = origin
    }

    /// The template for a workflow at `workflowFile`: `Templates/slurm/job.sh`
    /// in the workflow's directory or its parent (where the repository's
    /// example workflows keep their templates), else the built-in one.
    static func forWorkflow(at workflowFile: URL) throws -> SlurmJobTemplate {
        let directory = workflowFile.deletingLastPathComponent()
        for base in [directory, directory.deletingLastPathComponent()] {
            let candidate = base.appendingPathComponent("Templates/slurm/job.sh")
            guard FileManager.default.fileExists(atPath: candidate.path) else { continue }
            do {
                let text = try String(contentsOf: candidate, encoding: .utf8)
                return try SlurmJobTemplate(text: text, origin: candidate.path)
            } catch let error as GyreError {
                throw error
            } catch {
                throw GyreError(.invalidInput, "cannot read the job script template \(candidate.path): \(error)")
            }
        }
        return builtin
    }

    /// Renders a script; values are already formatted (and quoted where needed).
    func render(sbatch: [String], setup: [String], tasks: String) -> String {
        // Parsed again here rather than stored: the template type is not Sendable.
        guard let template = try? MustacheTemplate(string: text) else { return "" }
        let context: [String: Any] = ["sbatch": sbatch, "setup": setup, "tasks": tasks]
        return template.render(context)
    }

    /// The default, used when the workflow brings none.
    static let builtin: SlurmJobTemplate = {
        // The literal parses and contains the tasks tag; a test renders it.
        (try? SlurmJobTemplate(text: builtinText, origin: "built-in job script template"))
            ?? SlurmJobTemplate(unchecked: builtinText)
    }()

    private init(unchecked text: String) {
        self.text = text
        self.origin = "built-in job script template"
    }

    static let builtinText = """
        #!/bin/bash
        # Gyre's Slurm job script (a Mustache template). Copy it beside your workflow
        # as Templates/slurm/job.sh and edit it to change what every job does, e.g.
        # add #SBATCH options or environment set-up. gyre fills in:
        #   sbatch  the #SBATCH options from the workflow's `executor: {slurm: …}`
        #   setup   the workflow's `setup:` lines (module loads, `source …`), verbatim
        #   tasks   the commands of this job's tasks, every value shell-quoted; it runs
        #           each task in its directory, writes its stdout.log and stderr.log
        #           there, and records its exit status for gyre. Keep it last.
        {{#sbatch}}
        #SBATCH {{{.}}}
        {{/sbatch}}
        {{#setup}}
        {{{.}}}
        {{/setup}}
        {{{tasks}}}

        """
}
