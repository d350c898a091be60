import Foundation

/// `data:` and `systems:` — where atoms come from.
extension WorkflowDecoder {
    static let latticeKeys = ["lattice", "a", "c", "element", "composition", "repeat"]

    func decodeData(_ top: Fields, elements: [String]?) -> [DataSource]? {
        guard let node = reader.required(top, "data", hint: " (initial training data: `- path:` or `- generate:` entries)"),
            let items = reader.items(node, KeyPath("data"))
        else { return nil }
        var sources: [DataSource] = []
        var ok = true
        for (i, item) in items.enumerated() {
            let path = KeyPath("data").index(i)
            guard let fields = reader.fields(item, path, keys: ["path", "generate"]) else { ok = false; continue }
            switch (fields["path"], fields["generate"]) {
            case (let p?, nil):
                if let url = existingPath(p, path / "path", what: "data", directory: nil) {
                    sources.append(.path(url))
                } else { ok = false }
            case (nil, let g?):
                if let generated = decodeGenerate(g, path / "generate", elements: elements) {
                    sources.append(.generate(generated))
                } else { ok = false }
            case (.some, .some):
                reader.error("\(path) has both `path` and `generate`; give one per entry", at: item.mark)
                ok = false
            case (nil, nil):
                if fields.suggested.isEmpty, !fields.has("path"), !fields.has("generate") {
                    reader.error("\(path) needs `path:` (a deepmd/npy directory or .extxyz file) or `generate:`", at: item.mark)
                } else if fields.suggested.isEmpty {
                    reader.error("\(path): `path` or `generate` is empty", at: item.mark)
                }
                ok = false
            }
        }
        return ok ? sources : nil
    }

    private func decodeGenerate(_ node: Node, _ path: KeyPath, elements: [String]?) -> GeneratedData? {
        guard let fields = reader.fields(node, path, keys: Self.latticeKeys + ["rattle", "strain", "count"]) else {
            return nil
        }
        let lattice = decodeLattice(fields, path, elements: elements)
        var rattle = 0.05, strain = 0.02, count = 16
        var ok = true
        if let n = fields["rattle"] {
            if let v = reader.number(n, path / "rattle") {
                if v >= 0, v < 1 { rattle = v } else {
                    reader.error("\(path / "rattle") must be from 0 up to (not including) 1 Å, found \(n.scalarText ?? "")", at: n.mark)
                    ok = false
                }
            } else { ok = false }
        }
        if let n = fields["strain"] {
            if let v = reader.number(n, path / "strain") {
                if v >= 0, v < 0.5 { strain = v } else {
                    reader.error("\(path / "strain") must be from 0 up to (not including) 0.5 (a relative strain), found \(n.scalarText ?? "")", at: n.mark)
                    ok = false
                }
            } else { ok = false }
        }
        if let n = fields["count"] {
            if let v = self.count(n, path / "count", in: 1...100_000) { count = v } else { ok = false }
        }
        guard let lattice, ok else { return nil }
        return GeneratedData(lattice: lattice, rattle: rattle, strain: strain, count: count)
    }

    func decodeSystems(_ top: Fields, elements: [String]?) -> [NamedSystem]? {
        guard let node = reader.required(top, "systems", hint: " (named starting structures for exploration)") else {
            return nil
        }
        guard case .mapping(let pairs) = node.content else {
            reader.error("systems must be a mapping of names to structures, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        guard !pairs.isEmpty else {
            reader.error("systems must name at least one structure", at: node.mark)
            return nil
        }
        var systems: [NamedSystem] = []
        var ok = true
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            let path = KeyPath("systems") / name
            if name.isEmpty || name.contains(where: { $0 == "/" || $0.isWhitespace }) {
                reader.error("system name `\(name)` must be a non-empty word without `/` or spaces", at: pair.key.mark)
                ok = false
                continue
            }
            guard let fields = reader.fields(pair.value, path, keys: Self.latticeKeys + ["path"]) else {
                ok = false
                continue
            }
            if let p = fields["path"] {
                let latticeKeys = fields.presentKeys.filter { Self.latticeKeys.contains($0) }
                if let extra = latticeKeys.first, let mark = fields.keyMark(extra) {
                    reader.error("\(path / extra) cannot be combined with `path`: a system is a file or a lattice", at: mark)
                    ok = false
                } else if let url = existingPath(p, path / "path", what: "structure file") {
                    systems.append(NamedSystem(name: name, structure: .file(url)))
                } else { ok = false }
            } else if let lattice = decodeLattice(fields, path, elements: elements) {
                systems.append(NamedSystem(name: name, structure: .lattice(lattice)))
            } else { ok = false }
        }
        return ok ? systems : nil
    }

    /// `lattice`, `a`, `c`, `element` or `composition`, `repeat`.
    func decodeLattice(_ fields: Fields, _ path: KeyPath, elements: [String]?) -> LatticeSpec? {
        let kinds = LatticeSpec.Kind.allCases.map(\.rawValue)
        let kind = reader.required(fields, "lattice", hint: " (one of \(SchemaReader.list(kinds)), or give `path:`)")
            .flatMap { reader.choice($0, path / "lattice", among: kinds) }
            .flatMap(LatticeSpec.Kind.init(rawValue:))
        let a = reader.required(fields, "a", hint: " (the lattice constant in Å)")
            .flatMap { positive($0, path / "a", below: 100, unit: " Å") }
        var c: Double?
        var ok = true
        if let n = fields["c"] {
            if let kind, kind != .hcp, let mark = fields.keyMark("c") {
                reader.error("\(path / "c") applies to hcp lattices only; this one is \(kind.rawValue)", at: mark)
                ok = false
            } else {
                c = positive(n, path / "c", below: 100, unit: " Å")
                if c == nil { ok = false }
            }
        }
        var repetitions = [1, 1, 1]
        if let n = fields["repeat"] {
            if let items = reader.items(n, path / "repeat") {
                if items.count != 3 {
                    reader.error("\(path / "repeat") must list 3 whole numbers, e.g. [2, 2, 2]; found \(items.count)", at: n.mark)
                    ok = false
                } else {
                    let values = items.enumerated().map { count($1, (path / "repeat").index($0), in: 1...100) }
                    if values.allSatisfy({ $0 != nil }) { repetitions = values.compactMap { $0 } } else { ok = false }
                }
            } else { ok = false }
        }
        let composition = decodeComposition(fields, path, elements: elements)
        if let kind, ok {
            let atoms = repetitions.reduce(1, *) * kind.atomsPerCell
            if atoms > 100_000 {
                reader.error("\(path / "repeat") builds \(atoms) atoms; the limit is 100000", at: fields["repeat"]?.mark ?? fields.node.mark)
                ok = false
            }
        }
        guard let kind, let a, let composition, ok else { return nil }
        return LatticeSpec(kind: kind, a: a, c: c, composition: composition, repetitions: repetitions)
    }

    private func decodeComposition(_ fields: Fields, _ path: KeyPath, elements: [String]?) -> [(element: String, fraction: Double)]? {
        switch (fields["element"], fields["composition"]) {
        case (let e?, nil):
            guard let symbol = reader.string(e, path / "element") else { return nil }
            if let elements, !elements.contains(symbol) {
                reader.error(
                    "\(path / "element"): `\(symbol)` is not in `elements` (\(elements.joined(separator: ", ")))"
                        + Suggestion.phrase(for: symbol, among: elements), at: e.mark)
                return nil
            }
            return [(symbol, 1.0)]
        case (nil, let c?):
            guard case .mapping(let pairs) = c.content, !pairs.isEmpty else {
                reader.error("\(path / "composition") must map elements to fractions, e.g. `{Cu: 0.75, Au: 0.25}`", at: c.mark)
                return nil
            }
            var out: [(element: String, fraction: Double)] = []
            var ok = true
            for pair in pairs {
                let symbol = pair.key.scalarText ?? ""
                if let elements, !elements.contains(symbol) {
                    reader.error(
                        "\(path / "composition" / symbol): `\(symbol)` is not in `elements` (\(elements.joined(separator: ", ")))"
                            + Suggestion.phrase(for: symbol, among: elements), at: pair.key.mark)
                    ok = false
                    continue
                }
                if let f = fraction(pair.value, path / "composition" / symbol, allowZero: false) {
                    out.append((symbol, f))
                } else { ok = false }
            }
            guard ok else { return nil }
            let total = out.reduce(0) { $0 + $1.fraction }
            guard abs(total - 1) < 1e-6 else {
                reader.error("\(path / "composition") fractions must add up to 1, they add up to \(total)", at: c.mark)
                return nil
            }
            return out
        case (.some, .some):
            reader.error("\(path) has both `element` and `composition`; give one", at: fields.node.mark)
            return nil
        case (nil, nil):
            // Unknown elements (already reported) or a mistyped `element` key (reported as unknown): no echo.
            guard let elements, !fields.suggested.contains("element"), !fields.suggested.contains("composition")
            else { return nil }
            if elements.count == 1, let only = elements.first { return [(only, 1.0)] }
            reader.error(
                "\(path) needs `element:` or `composition:` (they may be omitted only when `elements` has one entry)",
                at: fields.node.mark)
            return nil
        }
    }
}

extension LatticeSpec.Kind {
    /// Atoms in the conventional cell Gyre builds.
    public var atomsPerCell: Int {
        switch self {
        case .sc: 1
        case .bcc: 2
        case .fcc: 4
        case .hcp: 2
        case .diamond: 8
        }
    }
}
