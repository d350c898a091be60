import Foundation

/// Decodes the workflow language (DESIGN.md, "The workflow language") from a
/// node tree into typed settings, applying defaults and checking every rule
/// that can be checked before anything runs. All problems are collected.
struct WorkflowDecoder {
    let reader: SchemaReader
    /// The workflow file's directory: relative paths resolve against it.
    let directory: URL

    static let topKeys = [
        "name", "seed", "workdir", "elements", "masses", "data", "systems",
        "train", "explore", "select", "label", "executor",
    ]

    func workflow(_ root: Node, text: String, source: URL) -> Workflow? {
        guard let top = reader.fields(root, KeyPath(), keys: Self.topKeys) else { return nil }
        let name = decodeName(top)
        let seed = top["seed"].flatMap { decodeSeed($0) } ?? 0
        let elements = decodeElements(top)
        let masses = decodeMasses(top, elements: elements)
        let workdir: URL
        if let node = top["workdir"], let text = reader.string(node, KeyPath("workdir")) {
            workdir = resolve(text)
        } else {
            workdir = resolve("runs/\(name ?? "workflow")")
        }
        // When `elements` itself failed, membership checks against it would only echo that error.
        let known = elements
        let data = decodeData(top, elements: known)
        let systems = decodeSystems(top, elements: known)
        let executor = top["executor"].flatMap { decodeExecutor($0, KeyPath("executor"), allowExternal: false) }
            ?? .local(LocalExecutorSettings(slots: max(1, ProcessInfo.processInfo.activeProcessorCount)))
        let select = decodeSelect(top, systems: systems)
        let train = decodeTrain(top)
        let explore = decodeExplore(top, systems: systems, select: select)
        let label = decodeLabel(top, elements: known)

        guard let name, let elements, let masses, let data, let systems, let train, let explore,
            let select, let label
        else { return nil }
        return Workflow(
            name: name, seed: seed, workdir: workdir, elements: elements, masses: masses, data: data,
            systems: systems, train: train, explore: explore, select: select, label: label,
            executor: executor, source: source, text: text)
    }

    /// A path from the workflow, made absolute against the workflow file's directory.
    func resolve(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return directory.appendingPathComponent(expanded).standardizedFileURL
    }

    /// A path that must exist (a file, or a directory when `directory` is true).
    func existingPath(_ node: Node, _ path: KeyPath, what: String, directory: Bool? = false) -> URL? {
        guard let text = reader.string(node, path) else { return nil }
        let url = resolve(text)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            reader.error("\(path): \(what) `\(text)` does not exist (looked for \(url.path))", at: node.mark)
            return nil
        }
        if let directory, directory != isDirectory.boolValue {
            reader.error(
                "\(path): `\(text)` is a \(isDirectory.boolValue ? "directory" : "file"), expected a "
                    + "\(directory ? "directory" : "file")", at: node.mark)
            return nil
        }
        return url
    }

    // MARK: Top-level scalars

    private func decodeName(_ top: Fields) -> String? {
        guard let node = reader.required(top, "name", hint: " (the run's name, e.g. `name: cu-quickstart`)"),
            let name = reader.string(node, KeyPath("name"))
        else { return nil }
        let allowed = name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || $0 == "." || $0 == "_" || $0 == "-"
        }
        guard allowed, !name.isEmpty, name.count <= 100, name != ".", name != ".." else {
            reader.error(
                "name `\(name)` may contain only letters, digits, `.`, `_` and `-` (it names the run's directory)",
                at: node.mark)
            return nil
        }
        return name
    }

    private func decodeSeed(_ node: Node) -> UInt64? {
        guard let value = reader.integer(node, KeyPath("seed")) else { return nil }
        guard value >= 0 else {
            reader.error("seed must be 0 or a positive whole number, found \(value)", at: node.mark)
            return nil
        }
        return UInt64(value)
    }

    private func decodeElements(_ top: Fields) -> [String]? {
        guard let node = reader.required(top, "elements", hint: " (e.g. `elements: [Cu]`; the order is the type index)"),
            let items = reader.strings(node, KeyPath("elements"))
        else { return nil }
        var seen: [String: Mark] = [:]
        var ok = true
        for (i, (symbol, mark)) in items.enumerated() {
            if Element.named(symbol) == nil {
                let symbols = Element.all.map(\.symbol)
                let hint = Element.named(symbol.prefix(1).uppercased() + symbol.dropFirst().lowercased()) != nil
                    ? "; element symbols are case-sensitive: `\(symbol.prefix(1).uppercased() + symbol.dropFirst().lowercased())`"
                    : Suggestion.phrase(for: symbol, among: symbols)
                reader.error("elements[\(i)]: `\(symbol)` is not an element symbol\(hint)", at: mark)
                ok = false
            } else if let first = seen[symbol] {
                reader.error("elements[\(i)]: `\(symbol)` is listed twice", at: mark, notes: [("first listed here", first)])
                ok = false
            }
            seen[symbol] = mark
        }
        return ok ? items.map(\.0) : nil
    }

    private func decodeMasses(_ top: Fields, elements: [String]?) -> [String: Double]? {
        var masses: [String: Double] = [:]
        for e in elements ?? [] { masses[e] = Element.named(e)?.mass }
        guard let node = top["masses"] else { return masses }
        guard case .mapping(let pairs) = node.content else {
            reader.error("masses must be a mapping of element to mass in amu, e.g. `{Cu: 63.546}`", at: node.mark)
            return nil
        }
        var ok = true
        for pair in pairs {
            let symbol = pair.key.scalarText ?? ""
            let path = KeyPath("masses") / symbol
            if let elements, !elements.contains(symbol) {
                reader.error(
                    "\(path): `\(symbol)` is not in `elements` (\(elements.joined(separator: ", ")))"
                        + Suggestion.phrase(for: symbol, among: elements), at: pair.key.mark)
                ok = false
                continue
            }
            guard let mass = reader.number(pair.value, path) else { ok = false; continue }
            guard mass > 0, mass < 1000 else {
                reader.error("\(path) must be a mass in amu between 0 and 1000, found \(mass)", at: pair.value.mark)
                ok = false
                continue
            }
            masses[symbol] = mass
        }
        return ok ? masses : nil
    }

    // MARK: Shared pieces

    /// A positive number, optionally bounded above.
    func positive(_ node: Node, _ path: KeyPath, below limit: Double? = nil, unit: String = "") -> Double? {
        guard let v = reader.number(node, path) else { return nil }
        guard v > 0 else {
            reader.error("\(path) must be greater than 0\(unit), found \(node.scalarText ?? "\(v)")", at: node.mark)
            return nil
        }
        if let limit, v >= limit {
            reader.error("\(path) must be below \(limit)\(unit), found \(node.scalarText ?? "\(v)")", at: node.mark)
            return nil
        }
        return v
    }

    /// A whole number within `range`.
    func count(_ node: Node, _ path: KeyPath, in range: ClosedRange<Int>) -> Int? {
        guard let v = reader.integer(node, path) else { return nil }
        guard range.contains(v) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            reader.error("\(path) must be \(bound), found \(v)", at: node.mark)
            return nil
        }
        return v
    }

    /// A fraction in [0, 1] (or (0, 1] when `open` is true).
    func fraction(_ node: Node, _ path: KeyPath, allowZero: Bool = true) -> Double? {
        guard let v = reader.number(node, path) else { return nil }
        guard v <= 1, allowZero ? v >= 0 : v > 0 else {
            reader.error(
                "\(path) must be a fraction \(allowZero ? "from 0" : "above 0") to 1, found \(node.scalarText ?? "\(v)")",
                at: node.mark)
            return nil
        }
        return v
    }

    /// A duration in seconds: a number, or `"HH:MM:SS"` / `"D-HH:MM:SS"` as Slurm writes them.
    func duration(_ node: Node, _ path: KeyPath) -> Double? {
        if case .scalar(let s) = node.content, s.isPlain, SchemaReader.parseNumber(s.text) != nil {
            return positive(node, path, unit: " seconds")
        }
        guard let text = reader.string(node, path) else { return nil }
        guard let seconds = SlurmTime.seconds(text), seconds > 0 else {
            reader.error("\(path) must be seconds or a time like \"02:00:00\" or \"1-12:00:00\", found `\(text)`", at: node.mark)
            return nil
        }
        return seconds
    }
}

extension WorkflowDecoder {
    /// The value of an optional key: `fallback` when absent; when present but
    /// invalid, `fallback` too with `ok` cleared (the error is already reported).
    func optional<T>(_ node: Node?, default fallback: T, _ ok: inout Bool, _ decode: (Node) -> T?) -> T {
        guard let node else { return fallback }
        guard let value = decode(node) else {
            ok = false
            return fallback
        }
        return value
    }
}
