/// `select:` — the trust window and how candidates are picked.
extension WorkflowDecoder {
    func decodeSelect(_ top: Fields, systems: [NamedSystem]?) -> SelectSettings? {
        let path = KeyPath("select")
        guard let node = reader.required(top, "select", hint: " (at least `trust: {lo: …, hi: …}`)") else { return nil }
        let keys = ["trust", "max_per_iteration", "max_per_system", "strategy", "skip_first", "cut_after_failure",
                    "filters", "diverse", "taper", "system_trust"]
        guard let fields = reader.fields(node, path, keys: keys) else { return nil }
        var ok = true
        func need<T>(_ value: T?) -> T? {
            if value == nil { ok = false }
            return value
        }
        let trust = need(reader.required(fields, "trust", hint: " (the force-deviation window in eV/Å, e.g. `{lo: 0.05, hi: 0.30}`)")
            .flatMap { decodeTrust($0, path / "trust") })
        let maxPerIteration = fields["max_per_iteration"].map { need(count($0, path / "max_per_iteration", in: 1...1_000_000)) } ?? 50
        let maxPerSystem = fields["max_per_system"].map { need(count($0, path / "max_per_system", in: 1...1_000_000)) } ?? nil
        let strategies = SelectSettings.Strategy.allCases.map(\.rawValue)
        let strategy = fields["strategy"].map {
            need(reader.choice($0, path / "strategy", among: strategies).flatMap(SelectSettings.Strategy.init(rawValue:)))
        } ?? .diverse
        let skipFirst = fields["skip_first"].map { need(count($0, path / "skip_first", in: 0...Int.max)) } ?? 0
        let cut = fields["cut_after_failure"].map { need(reader.bool($0, path / "cut_after_failure")) } ?? false
        let options = need(decodeSelectionOptions(fields, path, strategy: strategy, trust: trust, systems: systems))
        guard let trust, let maxPerIteration, let strategy, let skipFirst, let cut, let options, ok else { return nil }
        return SelectSettings(
            trust: trust, maxPerIteration: maxPerIteration, maxPerSystem: maxPerSystem, strategy: strategy,
            skipFirst: skipFirst, cutAfterFailure: cut, options: options)
    }

    /// `{lo, hi}` or `{adaptive: {hi, top, rate}}`, plus an optional `virial: {lo, hi}`.
    func decodeTrust(_ node: Node, _ path: KeyPath) -> TrustSettings? {
        guard let fields = reader.fields(node, path, keys: ["lo", "hi", "adaptive", "virial"]) else { return nil }
        var ok = true
        let force: TrustSettings.Force?
        if let adaptive = fields["adaptive"] {
            for key in ["lo", "hi"] where fields.has(key) {
                if let mark = fields.keyMark(key) {
                    reader.error("\(path / key) cannot be combined with `adaptive` (put `hi` inside `adaptive`)", at: mark)
                }
                ok = false
            }
            force = decodeAdaptive(adaptive, path / "adaptive")
        } else {
            force = decodeWindow(fields, path, unit: "eV/Å").map { .fixed(lo: $0.lo, hi: $0.hi) }
        }
        var virial: (lo: Double, hi: Double)?
        if let v = fields["virial"] {
            if let vf = reader.fields(v, path / "virial", keys: ["lo", "hi"]), let w = decodeWindow(vf, path / "virial", unit: "eV") {
                virial = w
            } else { ok = false }
        }
        guard let force, ok else { return nil }
        return TrustSettings(force: force, virial: virial)
    }

    private func decodeWindow(_ fields: Fields, _ path: KeyPath, unit: String) -> (lo: Double, hi: Double)? {
        let lo = reader.required(fields, "lo", hint: " (deviation below which a frame is accurate, \(unit))")
            .flatMap { positive($0, path / "lo", unit: " \(unit)") }
        let hi = reader.required(fields, "hi", hint: " (deviation from which a frame is failed, \(unit))")
            .flatMap { positive($0, path / "hi", unit: " \(unit)") }
        guard let lo, let hi else { return nil }
        guard lo < hi else {
            reader.error(
                "\(path / "lo") (\(fields["lo"]?.scalarText ?? "\(lo)")) must be below \(path / "hi") (\(fields["hi"]?.scalarText ?? "\(hi)"))",
                at: fields["lo"]?.mark ?? fields.node.mark)
            return nil
        }
        return (lo, hi)
    }

    private func decodeAdaptive(_ node: Node, _ path: KeyPath) -> TrustSettings.Force? {
        guard let fields = reader.fields(node, path, keys: ["hi", "top", "rate"]) else { return nil }
        let hi = reader.required(fields, "hi").flatMap { positive($0, path / "hi", unit: " eV/Å") }
        var ok = true
        let top = optional(fields["top"], default: 50, &ok) { count($0, path / "top", in: 1...10_000_000) }
        let rate = optional(fields["rate"], default: 0, &ok) { fraction($0, path / "rate") }
        guard let hi, ok else { return nil }
        return .adaptive(hi: hi, top: top, rate: rate)
    }
}
