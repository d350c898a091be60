import Foundation

/// `train:`, `explore:` and their per-step settings.
extension WorkflowDecoder {
    static let stepKeys = ["executor", "timeout", "retries"]

    /// Keys every step accepts: where its tasks run, their timeout, retries.
    func decodeStep(_ fields: Fields, _ path: KeyPath, defaultRetries: Int, allowExternal: Bool) -> StepSettings? {
        var ok = true
        let executor = fields["executor"].flatMap {
            let e = decodeExecutor($0, path / "executor", allowExternal: allowExternal)
            if e == nil { ok = false }
            return e
        }
        let timeout = fields["timeout"].flatMap {
            let t = duration($0, path / "timeout")
            if t == nil { ok = false }
            return t
        }
        var retries = defaultRetries
        if let n = fields["retries"] {
            if let r = count(n, path / "retries", in: 0...100) { retries = r } else { ok = false }
        }
        return ok ? StepSettings(executor: executor, timeout: timeout, retries: retries) : nil
    }

    /// Checks that every key present belongs to the chosen engine, naming the engine that owns a stray key.
    func checkEngineKeys(_ fields: Fields, _ path: KeyPath, engine: String, owned: [String: [String]]) {
        let mine = Set(owned[engine] ?? [])
        for key in fields.presentKeys {
            let owners = owned.filter { $0.value.contains(key) }.map(\.key).sorted()
            guard !owners.isEmpty, !mine.contains(key), let mark = fields.keyMark(key) else { continue }
            reader.error(
                "\(path / key) belongs to engine \(owners.joined(separator: " / ")), but \(path / "engine") is `\(engine)`",
                at: mark)
        }
    }

    /// An engine's required `template` (an existing file) and its `command`, or its default.
    func templateAndCommand(_ fields: Fields, _ path: KeyPath, what: String, defaultCommand: String) -> (template: URL, command: String)? {
        let template = reader.required(fields, "template", hint: " (\(what))")
            .flatMap { existingPath($0, path / "template", what: "template") }
        let command = fields["command"].flatMap { reader.string($0, path / "command") } ?? defaultCommand
        return template.map { ($0, command) }
    }

    // MARK: train

    func decodeTrain(_ top: Fields) -> TrainSettings? {
        let path = KeyPath("train")
        let owned = ["builtin": [String](), "deepmd": Self.deepmdTrainKeys]
        let keys = ["engine", "models", "init_from_previous"] + Self.stepKeys + Self.deepmdTrainKeys
        guard let node = top["train"] else {
            return TrainSettings(
                engine: .builtin, models: 4, initFromPrevious: true,
                step: StepSettings(executor: nil, timeout: nil, retries: 1))
        }
        guard let fields = reader.fields(node, path, keys: keys) else { return nil }
        let engineName = fields["engine"].flatMap { reader.choice($0, path / "engine", among: ["builtin", "deepmd"]) }
            ?? (fields.has("engine") ? nil : "builtin")
        guard let engineName else {
            // The engine's own keys cannot be judged without it; the shared ones still can.
            _ = fields["models"].map { count($0, path / "models", in: 2...64) }
            _ = fields["init_from_previous"].map { reader.bool($0, path / "init_from_previous") }
            _ = decodeStep(fields, path, defaultRetries: 1, allowExternal: false)
            return nil
        }
        checkEngineKeys(fields, path, engine: engineName, owned: owned)
        var models = 4
        var ok = true
        if let n = fields["models"] {
            if let v = count(n, path / "models", in: 2...64) { models = v } else {
                ok = false
            }
        }
        var initFromPrevious = true
        if let n = fields["init_from_previous"] {
            if let v = reader.bool(n, path / "init_from_previous") { initFromPrevious = v } else { ok = false }
        }
        let engine: TrainSettings.Engine?
        switch engineName {
        case "deepmd":
            engine = decodeDeepmdTraining(fields, path).map { .deepmd($0) }
        default:
            engine = .builtin
        }
        let step = decodeStep(fields, path, defaultRetries: 1, allowExternal: false)
        guard let engine, let step, ok else { return nil }
        return TrainSettings(engine: engine, models: models, initFromPrevious: initFromPrevious, step: step)
    }

    // MARK: explore

    func decodeExplore(_ top: Fields, systems: [NamedSystem]?, select: SelectSettings?) -> ExploreSettings? {
        let path = KeyPath("explore")
        guard let node = reader.required(top, "explore", hint: " (the exploration stages)") else { return nil }
        let owned = ["builtin": ["min_distance", "max_deviation"], "lammps": ["template", "command", "relative", "relative_v"]]
        let keys = ["engine", "stages"] + Self.stepKeys
            + ["min_distance", "max_deviation", "template", "command", "relative", "relative_v"]
        guard let fields = reader.fields(node, path, keys: keys) else { return nil }
        let engineName = fields["engine"].flatMap { reader.choice($0, path / "engine", among: ["builtin", "lammps"]) }
            ?? (fields.has("engine") ? nil : "builtin")
        guard let engineName else {
            // The stages do not depend on the engine: report their problems too.
            _ = fields["stages"].flatMap {
                decodeStages($0, path / "stages", systems: systems, select: select, variables: .unchecked)
            }
            _ = decodeStep(fields, path, defaultRetries: 1, allowExternal: false)
            return nil
        }
        checkEngineKeys(fields, path, engine: engineName, owned: owned)
        var ok = true
        let engine: ExploreSettings.Engine?
        var variableRule = StageVariableRule.forbidden(engine: engineName)
        switch engineName {
        case "lammps":
            let relative = fields["relative"].map { positive($0, path / "relative", unit: " eV/Å") }
            let relativeVirial = fields["relative_v"].map { positive($0, path / "relative_v", unit: " eV") }
            if relative == .some(nil) || relativeVirial == .some(nil) { ok = false }
            let templated = templateAndCommand(fields, path, what: "a LAMMPS input template", defaultCommand: "lmp -i in.lammps")
            engine = templated.map {
                .lammps(LAMMPSExploration(template: $0.template, command: $0.command, relative: relative ?? nil,
                                          relativeVirial: relativeVirial ?? nil))
            }
            variableRule = templated.map { .template($0.template, lammpsTemplatePlaceholders($0.template)) } ?? .unchecked
        default:
            engine = .builtin
        }
        let minDistance = fields["min_distance"].map { positive($0, path / "min_distance", below: 10, unit: " Å") } ?? 0.5
        if minDistance == nil { ok = false }
        let defaultBlowUp: Double = switch select?.trust.force {
        case .fixed(_, let hi)?: 3 * hi
        case .adaptive(let hi, _, _)?: 3 * hi
        case nil: 1.0
        }
        let maxDeviation = fields["max_deviation"].map { positive($0, path / "max_deviation", unit: " eV/Å") } ?? defaultBlowUp
        if maxDeviation == nil { ok = false }
        let stages = reader.required(fields, "stages", hint: " (a list of exploration stages)")
            .flatMap { decodeStages($0, path / "stages", systems: systems, select: select, variables: variableRule) }
        let step = decodeStep(fields, path, defaultRetries: 1, allowExternal: false)
        guard let engine, let stages, let step, let minDistance, let maxDeviation, ok else { return nil }
        return ExploreSettings(
            engine: engine, stages: stages, minDistance: minDistance, maxDeviation: maxDeviation, step: step)
    }
}
