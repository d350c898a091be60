import Foundation

/// `label:` — the reference engine and its files.
extension WorkflowDecoder {
    static let labelEngines = ["builtin", "qe", "vasp", "cp2k", "abacus", "gaussian"]
    /// Elements each built-in reference potential has parameters for (nil: any).
    static let referenceElements: [String: [String]?] = [
        "emt": ["Al", "Cu", "Ag", "Au", "Ni", "Pd", "Pt", "H", "C", "N", "O"],
        "sw": ["Si"],
        "lj": nil,
    ]
    static let defaultCommands = [
        "qe": "pw.x -in pw.in",
        "vasp": "vasp_std",
        "cp2k": "cp2k -i input.inp",
        "abacus": "abacus",
        "gaussian": "g16 input.gjf",
    ]

    func decodeLabel(_ top: Fields, elements: [String]?) -> LabelSettings? {
        let path = KeyPath("label")
        guard let node = reader.required(top, "label", hint: " (the reference engine, e.g. `{engine: builtin, potential: emt}`)")
        else { return nil }
        let dft = ["template", "command", "kspacing"]
        let owned: [String: [String]] = [
            "builtin": ["potential", "lj"],
            "qe": dft + ["pseudopotentials", "pseudo_dir"],
            "vasp": dft + ["pseudopotentials", "pseudo_dir"],
            "abacus": dft + ["pseudopotentials", "pseudo_dir"],
            "cp2k": dft + ["pseudopotentials", "basis_sets"],
            "gaussian": ["template", "command", "charge", "multiplicity", "basis"],
        ]
        let keys = ["engine", "max_failed"] + Self.stepKeys
            + ["potential", "lj", "template", "command", "kspacing", "pseudopotentials", "pseudo_dir", "charge", "multiplicity",
               "basis_sets", "basis"]
        guard let fields = reader.fields(node, path, keys: keys) else { return nil }
        guard let engineName = reader.required(fields, "engine", hint: " (one of \(SchemaReader.list(Self.labelEngines)))")
            .flatMap({ reader.choice($0, path / "engine", among: Self.labelEngines) })
        else {
            // The engine's own keys cannot be judged without it; the shared ones still can.
            var ok = true
            _ = optional(fields["max_failed"], default: 0.05, &ok) { fraction($0, path / "max_failed") }
            _ = decodeStep(fields, path, defaultRetries: 2, allowExternal: true)
            return nil
        }
        checkEngineKeys(fields, path, engine: engineName, owned: owned)
        var ok = true
        let maxFailed = optional(fields["max_failed"], default: 0.05, &ok) { fraction($0, path / "max_failed") }
        let step = decodeStep(fields, path, defaultRetries: 2, allowExternal: true)
        let engine: LabelSettings.Engine?
        if engineName == "builtin" {
            engine = decodeReference(fields, path, elements: elements).map { .builtin($0) }
        } else {
            engine = decodeDFT(fields, path, engine: engineName, elements: elements).map {
                switch engineName {
                case "qe": .qe($0)
                case "vasp": .vasp($0)
                case "cp2k": .cp2k($0)
                case "abacus": .abacus($0)
                default: .gaussian($0)
                }
            }
        }
        guard let engine, let step, ok else { return nil }
        return LabelSettings(engine: engine, maxFailed: maxFailed, step: step)
    }

    private func decodeReference(_ fields: Fields, _ path: KeyPath, elements: [String]?) -> ReferencePotential? {
        let names = ["emt", "lj", "sw"]
        guard let name = reader.required(fields, "potential", hint: " (one of \(SchemaReader.list(names)))")
            .flatMap({ reader.choice($0, path / "potential", among: names) })
        else { return nil }
        if let supported = Self.referenceElements[name] ?? nil {
            let missing = (elements ?? []).filter { !supported.contains($0) }
            if !missing.isEmpty, let n = fields["potential"] {
                reader.error(
                    "\(path / "potential"): \(name) has no parameters for \(missing.joined(separator: ", ")) "
                        + "(it covers \(supported.joined(separator: ", ")))", at: n.mark)
                return nil
            }
        }
        if name != "lj", let mark = fields.keyMark("lj") {
            reader.error("\(path / "lj") applies to `potential: lj` only", at: mark)
            return nil
        }
        switch name {
        case "emt": return .emt
        case "sw": return .sw
        default:
            guard let node = reader.required(fields, "lj", hint: " (`{epsilon: eV, sigma: Å, cutoff: Å}`)"),
                let lj = reader.fields(node, path / "lj", keys: ["epsilon", "sigma", "cutoff"])
            else { return nil }
            let epsilon = reader.required(lj, "epsilon").flatMap { positive($0, path / "lj" / "epsilon", unit: " eV") }
            let sigma = reader.required(lj, "sigma").flatMap { positive($0, path / "lj" / "sigma", below: 20, unit: " Å") }
            guard let epsilon, let sigma else { return nil }
            let cutoff = lj["cutoff"].map { positive($0, path / "lj" / "cutoff", below: 50, unit: " Å") } ?? 2.5 * sigma
            guard let cutoff else { return nil }
            if cutoff <= sigma, let n = lj["cutoff"] {
                reader.error("\(path / "lj" / "cutoff") (\(cutoff)) must exceed sigma (\(sigma))", at: n.mark)
                return nil
            }
            return .lj(epsilon: epsilon, sigma: sigma, cutoff: cutoff)
        }
    }

    private func decodeDFT(_ fields: Fields, _ path: KeyPath, engine: String, elements: [String]?) -> DFTSettings? {
        var ok = true
        let template = reader.required(fields, "template", hint: " (the \(engine) input template, e.g. under Templates/)")
            .flatMap { existingPath($0, path / "template", what: "template") }
        let command = fields["command"].flatMap { reader.string($0, path / "command") } ?? Self.defaultCommands[engine] ?? engine
        let kspacing: Double? = optional(fields["kspacing"], default: nil, &ok) {
            positive($0, path / "kspacing", below: 10, unit: " Å⁻¹")
        }
        var pseudoDirectory: URL?
        if let n = fields["pseudo_dir"] {
            pseudoDirectory = existingPath(n, path / "pseudo_dir", what: "pseudopotential directory", directory: true)
            if pseudoDirectory == nil { ok = false }
        }
        var pseudos: [String: String] = [:]
        let needsPseudos = ["qe", "vasp", "abacus"].contains(engine)
        if let n = fields["pseudopotentials"] {
            let example = engine == "cp2k" ? "{Si: GTH-PBE-q4}" : "{Si: Si.pbe-rrkj.UPF}"
            if let entries = elementMap(n, path / "pseudopotentials", elements: elements, example: example) {
                for entry in entries {
                    pseudos[entry.symbol] = entry.name
                    guard let dir = pseudoDirectory else { continue }
                    if !FileManager.default.fileExists(atPath: dir.appendingPathComponent(entry.name).path) {
                        reader.error("\(path / "pseudopotentials" / entry.symbol): `\(entry.name)` is not in pseudo_dir (\(dir.path))",
                                     at: entry.node.mark)
                        ok = false
                    }
                }
                let missing = (elements ?? []).filter { pseudos[$0] == nil }
                if needsPseudos, !missing.isEmpty, ok {
                    reader.error("\(path / "pseudopotentials") has no entry for \(missing.joined(separator: ", "))", at: n.mark)
                    ok = false
                }
            } else {
                ok = false
            }
        } else if needsPseudos, !fields.suggested.contains("pseudopotentials") {
            reader.error("missing required key `\(path / "pseudopotentials")` (one file per element, e.g. `{Si: Si.pbe-rrkj.UPF}`)", at: fields.node.mark)
            ok = false
        }
        var basisSets: [String: String] = [:]
        if let n = fields["basis_sets"] {
            if let entries = elementMap(n, path / "basis_sets", elements: elements, example: "{Si: DZVP-MOLOPT-SR-GTH}") {
                for entry in entries { basisSets[entry.symbol] = entry.name }
            } else {
                ok = false
            }
        }
        var basis = GaussianLabelAdapter.defaultBasis
        if let n = fields["basis"] {
            if let name = reader.string(n, path / "basis") {
                if Self.isInputToken(name) {
                    basis = name
                } else {
                    reader.error("\(path / "basis") must be one basis name without spaces, e.g. `6-31G(d)`", at: n.mark)
                    ok = false
                }
            } else {
                ok = false
            }
        }
        let charge = optional(fields["charge"], default: 0, &ok) { reader.integer($0, path / "charge") }
        let multiplicity = optional(fields["multiplicity"], default: 1, &ok) { count($0, path / "multiplicity", in: 1...20) }
        guard let template, ok else { return nil }
        return DFTSettings(
            template: template, command: command, pseudopotentials: pseudos, pseudoDirectory: pseudoDirectory,
            kspacing: kspacing, charge: charge, multiplicity: multiplicity, basisSets: basisSets, basis: basis)
    }

    /// A mapping from elements of `elements` to names or files, each one
    /// token that is written into an input file as it is, in file order; nil
    /// after reporting what is wrong.
    private func elementMap(_ node: Node, _ path: KeyPath, elements: [String]?, example: String)
        -> [(symbol: String, name: String, node: Node)]? {
        guard case .mapping(let pairs) = node.content else {
            reader.error("\(path) must map each element to a file or name, e.g. `\(example)`", at: node.mark)
            return nil
        }
        var entries: [(symbol: String, name: String, node: Node)] = []
        var ok = true
        for pair in pairs {
            let symbol = pair.key.scalarText ?? ""
            let p = path / symbol
            if let elements, !elements.contains(symbol) {
                reader.error("\(p): `\(symbol)` is not in `elements`" + Suggestion.phrase(for: symbol, among: elements), at: pair.key.mark)
                ok = false
                continue
            }
            guard let value = reader.string(pair.value, p) else { ok = false; continue }
            guard Self.isInputToken(value) else {
                reader.error("\(p) must be one name without spaces, found \"\(value)\"", at: pair.value.mark)
                ok = false
                continue
            }
            entries.append((symbol, value, pair.value))
        }
        return ok ? entries : nil
    }

    /// Whether `text` can go into an input file as one word: no spaces, line
    /// breaks or control characters that would change the file's structure.
    static func isInputToken(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }
}
