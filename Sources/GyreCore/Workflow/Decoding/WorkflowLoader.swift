import Foundation

/// Turns a workflow file into a validated `Workflow`, or into every problem
/// it has, each located at `file:line:column`. Nothing runs before this passes.
public enum WorkflowLoader {
    /// Loads and validates the workflow at `url`.
    public static func load(_ url: URL) throws(WorkflowErrors) -> Workflow {
        let display = url.relativePath
        let bytes: [UInt8]
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = attributes[.size] as? Int, size > YAMLLoader.Limits().maxBytes {
                throw WorkflowErrors([Diagnostic(
                    .error, "the file is \(size) bytes; a workflow must be under \(YAMLLoader.Limits().maxBytes >> 20) MiB",
                    at: SourceLocation(file: display))])
            }
            bytes = Array(try Data(contentsOf: url))
        } catch let errors as WorkflowErrors {
            throw errors
        } catch {
            throw WorkflowErrors([Diagnostic(
                .error, "cannot read the workflow: \(error.localizedDescription)", at: SourceLocation(file: display))])
        }
        return try load(bytes: bytes, file: display, directory: url.deletingLastPathComponent().standardizedFileURL)
    }

    /// Loads a workflow from bytes; relative paths resolve against `directory`.
    public static func load(bytes: [UInt8], file: String, directory: URL) throws(WorkflowErrors) -> Workflow {
        let (workflow, diagnostics) = analyze(bytes: bytes, file: file, directory: directory)
        guard let workflow, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw WorkflowErrors(diagnostics)
        }
        return workflow
    }

    /// The workflow (nil when it has errors) and every diagnostic, warnings included, in file order.
    public static func analyze(_ url: URL) -> (Workflow?, [Diagnostic]) {
        do {
            let workflow = try load(url)
            return (workflow, workflow.warnings)
        } catch {
            return (nil, error.diagnostics)
        }
    }

    static func analyze(bytes: [UInt8], file: String, directory: URL) -> (Workflow?, [Diagnostic]) {
        let root: Node?
        do {
            root = try YAMLLoader().load(bytes)
        } catch {
            let location = SourceLocation(file: file, line: error.mark?.line ?? 1, column: error.mark?.column ?? 1)
            var notes: [Diagnostic] = []
            if let note = error.note {
                notes.append(Diagnostic(
                    .note, note.message, at: SourceLocation(file: file, line: note.mark.line, column: note.mark.column)))
            }
            return (nil, [Diagnostic(.error, error.message, at: location, notes: notes)])
        }
        guard let root, !root.isNull else {
            return (nil, [Diagnostic(
                .error, "the workflow is empty; it needs at least `name`, `elements`, `data`, `systems`, `explore`, "
                    + "`select` and `label` (see Workflows/quickstart.yaml)",
                at: SourceLocation(file: file, line: 1, column: 1))])
        }
        let reader = SchemaReader(file: file)
        let text = String(decoding: bytes, as: UTF8.self)
        let decoder = WorkflowDecoder(reader: reader, directory: directory)
        let workflow = decoder.workflow(root, text: text, source: directory.appendingPathComponent(
            (file as NSString).lastPathComponent))
        let diagnostics = reader.diagnostics.sorted(by: Self.fileOrder)
        guard var workflow, !reader.hasErrors else { return (nil, diagnostics) }
        workflow.warnings = diagnostics
        return (workflow, diagnostics)
    }

    static func fileOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.location.line ?? 0, a.location.column ?? 0) < (b.location.line ?? 0, b.location.column ?? 0)
    }
}
