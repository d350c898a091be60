import Foundation

/// `executor:` — local slots, Slurm, or labels computed elsewhere.
extension WorkflowDecoder {
    static let slurmKeys = [
        "partition", "account", "qos", "time", "nodes", "ntasks", "cpus_per_task", "gpus", "mem",
        "array", "array_throttle", "group_size", "max_queued", "poll_seconds", "extra", "setup", "template",
    ]

    func decodeExecutor(_ node: Node, _ path: KeyPath, allowExternal: Bool) -> ExecutorSettings? {
        guard let fields = reader.fields(node, path, keys: ["local", "slurm", "external"]) else { return nil }
        let present = fields.presentKeys
        guard present.count == 1, let kind = present.first, let body = fields.entries[kind]?.value else {
            // `locl: {slots: 2}` is already reported as an unknown key with a did-you-mean.
            if present.isEmpty, !fields.suggested.isEmpty { return nil }
            if present.count > 1, let mark = fields.keyMark(present[1]) {
                reader.error(
                    "\(path) must have exactly one of `local`, `slurm`, `external`, found \(SchemaReader.list(present))",
                    at: mark)
                return nil
            }
            reader.error(
                "\(path) must have exactly one of `local`, `slurm`, `external`, found \(present.isEmpty ? "none" : SchemaReader.list(present))",
                at: node.mark)
            return nil
        }
        let sub = path / kind
        // `local:` alone (null body) means the defaults.
        let bodyFields: Fields?
        if body.isNull {
            bodyFields = nil
        } else {
            let keys = kind == "local" ? ["slots"] : kind == "slurm" ? Self.slurmKeys : ["poll_seconds"]
            guard let f = reader.fields(body, sub, keys: keys) else { return nil }
            bodyFields = f
        }
        switch kind {
        case "local":
            let slots = bodyFields?["slots"].map { count($0, sub / "slots", in: 1...1024) }
                ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
            return slots.map { .local(LocalExecutorSettings(slots: $0)) }
        case "external":
            guard allowExternal else {
                reader.error(
                    "\(sub): the `external` executor is for the label step only (labels computed elsewhere)",
                    at: fields.keyMark(kind) ?? node.mark)
                return nil
            }
            let poll = bodyFields?["poll_seconds"].map { positive($0, sub / "poll_seconds", unit: " s") } ?? 60
            return poll.map { .external(ExternalSettings(pollSeconds: $0)) }
        default:
            return decodeSlurm(bodyFields, sub)
        }
    }

    private func decodeSlurm(_ fields: Fields?, _ path: KeyPath) -> ExecutorSettings? {
        var ok = true
        func text(_ key: String) -> String? {
            guard let n = fields?[key] else { return nil }
            let v = reader.string(n, path / key)
            if v == nil { ok = false }
            return v
        }
        func number(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let n = fields?[key] else { return nil }
            let v = count(n, path / key, in: range)
            if v == nil { ok = false }
            return v
        }
        func lines(_ key: String) -> [String] {
            guard let n = fields?[key] else { return [] }
            guard let v = reader.strings(n, path / key) else { ok = false; return [] }
            for (i, (line, mark)) in v.enumerated() where line.contains("\n") {
                reader.error("\((path / key).index(i)) must be a single line", at: mark)
                ok = false
            }
            return v.map(\.0)
        }
        let time = text("time")
        if let time, SlurmTime.seconds(time) == nil, let n = fields?["time"] {
            reader.error("\(path / "time") must be a Slurm time like \"02:00:00\" or \"1-00:00:00\", found `\(time)`", at: n.mark)
            ok = false
        }
        var array = true
        if let n = fields?["array"] {
            if let v = reader.bool(n, path / "array") { array = v } else { ok = false }
        }
        let poll = optional(fields?["poll_seconds"], default: 10, &ok) { positive($0, path / "poll_seconds", unit: " s") }
        let template = fields?["template"].flatMap { node -> URL? in
            let url = jobTemplate(node, path / "template")
            if url == nil { ok = false }
            return url
        }
        let settings = SlurmSettings(
            partition: text("partition"), account: text("account"), qos: text("qos"), time: time,
            nodes: number("nodes", 1...100_000), ntasks: number("ntasks", 1...10_000_000),
            cpusPerTask: number("cpus_per_task", 1...100_000), gpus: number("gpus", 0...1024), memory: text("mem"),
            array: array, arrayThrottle: number("array_throttle", 1...100_000),
            groupSize: number("group_size", 1...100_000) ?? 1, maxQueued: number("max_queued", 1...1_000_000) ?? 200,
            pollSeconds: poll, extra: lines("extra"), setup: lines("setup"), template: template)
        return ok ? .slurm(settings) : nil
    }

    /// `slurm.template`: an existing file that is a usable job script
    /// template (parses, runs the tasks), so a bad one fails before any job.
    private func jobTemplate(_ node: Node, _ path: KeyPath) -> URL? {
        guard let url = existingPath(node, path, what: "job script template") else { return nil }
        do {
            _ = try SlurmJobTemplate(contentsOf: url)
        } catch let error as GyreError {
            reader.error("\(path): \(error.message)", at: node.mark)
            return nil
        } catch {
            reader.error("\(path): \(error)", at: node.mark)
            return nil
        }
        return url
    }
}
