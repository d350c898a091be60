import Foundation
import Mustache

/// The Mustache template every job script is made from: the workflow's
/// `executor.slurm.template`, else a `Templates/slurm/job.sh` beside it, else
/// the built-in copy (identical to the repository's `Templates/slurm/job.sh`).
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

    /// The template read from `url`, checked as `init(text:origin:)` does.
    init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GyreError(.invalidInput, "cannot read the job script template \(url.path): \(error.localizedDescription)")
        }
        try self.init(text: text, origin: url.path)
    }

    /// The template for Slurm `settings` of a workflow at `workflowFile`: the
    /// one its `template:` names; else `Templates/slurm/job.sh` in the
    /// workflow's directory or its parent (where the repository's example
    /// workflows keep their templates); else the built-in one.
    static func chosen(by settings: SlurmSettings, workflowAt workflowFile: URL) throws -> SlurmJobTemplate {
        if let url = settings.template { return try SlurmJobTemplate(contentsOf: url) }
        let directory = workflowFile.deletingLastPathComponent()
        for base in [directory, directory.deletingLastPathComponent()] {
            let candidate = base.appendingPathComponent("Templates/slurm/job.sh")
            if FileManager.default.fileExists(atPath: candidate.path) { return try SlurmJobTemplate(contentsOf: candidate) }
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
        # Gyre's Slurm job script (a Mustache template). Copy it, edit it to change
        # what every job does (e.g. add #SBATCH options or environment set-up), and
        # name the copy in the workflow's `executor: {slurm: {template: …}}` (or keep
        # it beside the workflow as Templates/slurm/job.sh). gyre fills in:
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
