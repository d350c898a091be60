import Foundation

/// Turns a workflow file into a validated `Workflow`, or into every problem
/// it has, each located at `file:line:column`. Nothing runs before this passes.
public enum WorkflowLoader {
    /// Loads and validates the workflow at `url`.
    public static func load(_ url: URL) throws(WorkflowErrors) -> Workflow {
        let display = url.relativePath
        let bytes = try read(url, display: display)
        return try load(bytes: bytes, file: display, directory: url.deletingLastPathComponent().standardizedFileURL)
    }

    /// The file's bytes, read with a bound: a directory, a missing file, a device
    /// that never ends or a file over the size limit is one clear error.
    static func read(_ url: URL, display: String) throws(WorkflowErrors) -> [UInt8] {
        let limit = YAMLLoader.Limits().maxBytes
        func failure(_ message: String) -> WorkflowErrors {
            WorkflowErrors([Diagnostic(.error, message, at: SourceLocation(file: display))])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw failure("no such file (looked for \(url.path))")
        }
        guard !isDirectory.boolValue else {
            throw failure("is a directory; give the workflow's YAML file")
        }
        let tooLarge = "the file is over \(limit >> 20) MiB; a workflow is a few kilobytes of YAML"
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > limit {
            throw failure(tooLarge)
        }
        let data: Data?
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // Read one byte past the limit: a pipe or device reports no size up front.
            data = try handle.read(upToCount: limit + 1)
        } catch {
            throw failure("cannot read the workflow: \(error.localizedDescription)")
        }
        let bytes = Array(data ?? Data())
        guard bytes.count <= limit else { throw failure(tooLarge) }
        return bytes
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
        func diagnostic(_ error: YAMLError) -> Diagnostic {
            let location = SourceLocation(file: file, line: error.mark?.line ?? 1, column: error.mark?.column ?? 1)
            var notes: [Diagnostic] = []
            if let note = error.note {
                notes.append(Diagnostic(
                    .note, note.message, at: SourceLocation(file: file, line: note.mark.line, column: note.mark.column)))
            }
            return Diagnostic(.error, error.message, at: location, notes: notes)
        }
        let root: Node?
        let duplicates: [Diagnostic]
        do {
            let loaded = try YAMLLoader().loadReportingDuplicates(bytes)
            root = loaded.root
            duplicates = loaded.duplicates.map(diagnostic)
        } catch {
            return (nil, [diagnostic(error)])
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
        let diagnostics = (duplicates + reader.diagnostics).sorted(by: Self.fileOrder)
        guard var workflow, !reader.hasErrors, duplicates.isEmpty else { return (nil, diagnostics) }
        workflow.warnings = diagnostics
        return (workflow, diagnostics)
    }

    static func fileOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.location.line ?? 0, a.location.column ?? 0) < (b.location.line ?? 0, b.location.column ?? 0)
    }
}
