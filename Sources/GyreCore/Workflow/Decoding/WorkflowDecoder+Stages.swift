/// `explore.stages`: what each stage explores and when it is done.
extension WorkflowDecoder {
    static let stageKeys = [
        "name", "systems", "ensemble", "temperatures", "pressures", "steps", "timestep",
        "sample_every", "max_iterations", "converged_when", "trust", "variables",
    ]

    func decodeStages(_ node: Node, _ path: KeyPath, systems: [NamedSystem]?, select: SelectSettings?,
                      variables: StageVariableRule) -> [Stage]? {
        guard let items = reader.items(node, path) else { return nil }
        var stages: [Stage] = []
        var nodes: [Node] = []
        var names: [String: Mark] = [:]
        var ok = true
        for (i, item) in items.enumerated() {
            guard let stage = decodeStage(item, path.index(i), systems: systems, select: select, variables: variables) else {
                ok = false
                continue
            }
            if let first = names[stage.name] {
                reader.error("\(path.index(i)).name: stage `\(stage.name)` is defined twice", at: item.mark,
                             notes: [("first defined here", first)])
                ok = false
            }
            names[stage.name] = item.mark
            stages.append(stage)
            nodes.append(item)
        }
        guard ok else { return nil }
        if case .template(let url, let placeholders?) = variables {
            let before = reader.diagnostics.count
            checkTemplateVariables(url, placeholders, stages: Array(zip(stages, nodes)), path)
            if reader.diagnostics.count > before { return nil }
        }
        return stages
    }

    private func decodeStage(_ node: Node, _ path: KeyPath, systems: [NamedSystem]?, select: SelectSettings?,
                             variables rule: StageVariableRule) -> Stage? {
        guard let fields = reader.fields(node, path, keys: Self.stageKeys) else { return nil }
        var ok = true
        func need<T>(_ value: T?) -> T? {
            if value == nil { ok = false }
            return value
        }
        let name = need(reader.required(fields, "name").flatMap { reader.string($0, path / "name") })
        if let name, name.isEmpty || name.contains(where: { $0 == "/" || $0.isWhitespace }), let n = fields["name"] {
            reader.error("\(path / "name") must be a word without `/` or spaces, found `\(name)`", at: n.mark)
            ok = false
        }
        let systemNames = need(reader.required(fields, "systems", hint: " (names from the top-level `systems`)")
            .flatMap { reader.strings($0, path / "systems") })
        // When `systems` itself failed to decode, its names are unknown: checking against them would only echo that error.
        let known = systems?.map(\.name) ?? []
        for (i, (system, mark)) in (systemNames ?? []).enumerated() where systems != nil && !known.contains(system) {
            reader.error(
                "\((path / "systems").index(i)): no system named `\(system)` in `systems` (defined: "
                    + "\(known.joined(separator: ", ")))" + Suggestion.phrase(for: system, among: known), at: mark)
            ok = false
        }
        let ensembles = Stage.Ensemble.allCases.map(\.rawValue)
        let ensemble = fields["ensemble"].map {
            need(reader.choice($0, path / "ensemble", among: ensembles).flatMap(Stage.Ensemble.init(rawValue:)))
        } ?? .nvt
        let temperatures = need(reader.required(fields, "temperatures", hint: " (K, e.g. `[300, 600]`)")
            .flatMap { reader.numbers($0, path / "temperatures") })
        let temperatureNodes = fields["temperatures"].flatMap { node -> [Node]? in
            if case .sequence(let items) = node.content { return items }
            return nil
        } ?? []
        for (i, (t, mark)) in (temperatures ?? []).enumerated() where t <= 0 || t > 100_000 {
            let written = i < temperatureNodes.count ? temperatureNodes[i].scalarText ?? "\(t)" : "\(t)"
            reader.error("\((path / "temperatures").index(i)) must be above 0 K and at most 100000 K, found \(written)", at: mark)
            ok = false
        }
        var pressures: [Double] = []
        if let p = fields["pressures"] {
            if let ensemble, ensemble != .npt, let mark = fields.keyMark("pressures") {
                reader.error("\(path / "pressures") apply to the npt ensemble only; this stage is \(ensemble.rawValue)", at: mark)
                ok = false
            } else if let values = need(reader.numbers(p, path / "pressures")) {
                pressures = values.map(\.0)
            }
        } else if ensemble == .npt, !fields.suggested.contains("pressures") {
            reader.error(
                "missing required key `\(path / "pressures")` (bar, e.g. `[1.0]`): this stage is npt",
                at: fields["ensemble"]?.mark ?? fields.node.mark)
            ok = false
        }
        let steps = need(reader.required(fields, "steps").flatMap { count($0, path / "steps", in: 1...1_000_000_000) })
        let timestep = fields["timestep"].map { need(positive($0, path / "timestep", below: 0.1, unit: " ps")) } ?? 0.002
        let sampleEvery = fields["sample_every"].map { need(count($0, path / "sample_every", in: 1...Int.max)) } ?? 20
        if let steps, let sampleEvery, sampleEvery > steps, let n = fields["sample_every"] {
            reader.error("\(path / "sample_every") (\(sampleEvery)) must not exceed \(path / "steps") (\(steps))", at: n.mark)
            ok = false
        }
        if let steps, let select, select.skipFirst >= steps {
            reader.error(
                "\(path / "steps") (\(steps)) must exceed select.skip_first (\(select.skipFirst)), or no frame is ever sampled",
                at: fields["steps"]?.mark ?? fields.node.mark)
            ok = false
        }
        let maxIterations = fields["max_iterations"].map { need(count($0, path / "max_iterations", in: 1...10_000)) } ?? 10
        let trust = fields["trust"].map { need(decodeTrust($0, path / "trust")) } ?? nil
        if case .adaptive? = trust?.force, let own = select?.options.systemTrust,
            case let fixed = (systemNames ?? []).map(\.0).filter({ own[$0] != nil }), !fixed.isEmpty
        {
            // The adaptive window is one window over the stage's frames; a per-system window would be ignored.
            reader.error(
                "\(path / "trust") is adaptive, but select.system_trust gives \(fixed.joined(separator: ", ")) a fixed window of its own; use a fixed stage window or drop those systems from system_trust",
                at: fields.keyMark("trust") ?? fields.node.mark)
            ok = false
        }
        let effectiveTrust = trust ?? select?.trust
        let convergence = need(reader.required(fields, "converged_when", hint: " (e.g. `{accurate: 0.97}`)")
            .flatMap { decodeConvergence($0, path / "converged_when", trust: effectiveTrust) })
        let variables = fields["variables"].map { need(decodeVariables($0, path / "variables", rule: rule)) } ?? []
        guard let name, let systemNames, let ensemble, let temperatures, let steps, let timestep, let sampleEvery,
            let maxIterations, let convergence, let variables, ok
        else { return nil }
        return Stage(
            name: name, systems: systemNames.map(\.0), ensemble: ensemble, temperatures: temperatures.map(\.0),
            pressures: pressures, steps: steps, timestep: timestep, sampleEvery: sampleEvery,
            maxIterations: maxIterations, convergedWhen: convergence, trust: trust, variables: variables)
    }

    private func decodeConvergence(_ node: Node, _ path: KeyPath, trust: TrustSettings?) -> Convergence? {
        guard let fields = reader.fields(node, path, keys: ["accurate", "lo_stable"]) else { return nil }
        var ok = true
        let accurate = fields["accurate"].flatMap {
            let v = fraction($0, path / "accurate", allowZero: false)
            if v == nil { ok = false }
            return v
        }
        let loStable = fields["lo_stable"].flatMap {
            let v = positive($0, path / "lo_stable", unit: " eV/Å")
            if v == nil { ok = false }
            return v
        }
        if loStable != nil, case .fixed? = trust?.force, let mark = fields.keyMark("lo_stable") {
            reader.error("\(path / "lo_stable") needs an adaptive trust window (`trust: {adaptive: …}`); this one is fixed", at: mark)
            ok = false
        }
        if ok, accurate == nil, loStable == nil, fields.suggested.isEmpty {
            reader.error("\(path) needs `accurate:` (a fraction, e.g. 0.97) or `lo_stable:`", at: node.mark)
            ok = false
        }
        return ok ? Convergence(accurate: accurate, loStable: loStable) : nil
    }
}
