/// The optional `select:` keys that tune picking beyond the trust window:
/// `filters`, `diverse`, `taper` and `system_trust` (``SelectionOptions``).
extension WorkflowDecoder {
    /// The options from `select`'s fields; absent keys keep ``SelectionOptions/standard``.
    /// nil when any of them is invalid (the errors are reported).
    func decodeSelectionOptions(_ fields: Fields, _ path: KeyPath, strategy: SelectSettings.Strategy?,
                                trust: TrustSettings?, systems: [NamedSystem]?) -> SelectionOptions? {
        var options = SelectionOptions.standard
        var ok = true
        if fields.has("filters") {
            if let f = decodeFilters(fields, path / "filters") { options.filters = f } else { ok = false }
        }
        if let node = fields["diverse"] {
            if let strategy, strategy != .diverse, let mark = fields.keyMark("diverse") {
                reader.error("\(path / "diverse") applies only to strategy `diverse`, but \(path / "strategy") is `\(strategy.rawValue)`", at: mark)
                ok = false
            } else if !decodeDiverse(node, path / "diverse", into: &options) {
                ok = false
            }
        }
        if let node = fields["taper"] {
            if let taper = decodeTaper(node, path / "taper") { options.accurateTaper = taper } else { ok = false }
        }
        if let node = fields["system_trust"] {
            if let own = decodeSystemTrust(node, path / "system_trust", trust: trust, systems: systems) {
                options.systemTrust = own
            } else { ok = false }
        }
        return ok ? options : nil
    }

    /// `filters: {min_distance, max_length_ratio, max_height_ratio}`; a key set to
    /// `null` turns that filter off, `filters: null` turns all off.
    private func decodeFilters(_ select: Fields, _ path: KeyPath) -> FrameFilters? {
        guard let node = select["filters"] else { return FrameFilters.none }
        let keys = ["min_distance", "max_length_ratio", "max_height_ratio"]
        guard let fields = reader.fields(node, path, keys: keys) else { return nil }
        var filters = FrameFilters.standard
        var ok = true
        func setting(_ key: String, _ decode: (Node) -> Double?) -> Double?? {
            guard fields.has(key) else { return .none }
            guard let node = fields[key] else { return .some(nil) }
            guard let v = decode(node) else {
                ok = false
                return .none
            }
            return .some(v)
        }
        if let v = setting("min_distance", { positive($0, path / "min_distance", below: 10, unit: " Å") }) {
            filters.minDistance = v
        }
        if let v = setting("max_length_ratio", { ratio($0, path / "max_length_ratio") }) { filters.maxLengthRatio = v }
        if let v = setting("max_height_ratio", { ratio($0, path / "max_height_ratio") }) { filters.maxHeightRatio = v }
        return ok ? filters : nil
    }

    /// A cell-shape limit: a ratio of lengths, so at least 1 (a cube has 1).
    private func ratio(_ node: Node, _ path: KeyPath) -> Double? {
        guard let v = reader.number(node, path) else { return nil }
        guard v >= 1 else {
            reader.error("\(path) must be at least 1 (a ratio of cell lengths; a cube has 1), found \(node.scalarText ?? "\(v)")", at: node.mark)
            return nil
        }
        return v
    }

    /// `diverse: {pool, cutoff, bins, objective, weight}` into `options`; false when invalid.
    private func decodeDiverse(_ node: Node, _ path: KeyPath, into options: inout SelectionOptions) -> Bool {
        guard let fields = reader.fields(node, path, keys: ["pool", "cutoff", "bins", "objective", "weight"]) else { return false }
        var ok = true
        options.diversePool = optional(fields["pool"], default: options.diversePool, &ok) {
            count($0, path / "pool", in: 1...1_000_000)
        }
        // Fingerprint cost grows with the cube of the cutoff; 20 Å is far beyond any useful one.
        options.fingerprintCutoff = optional(fields["cutoff"], default: options.fingerprintCutoff, &ok) {
            positive($0, path / "cutoff", below: 20, unit: " Å")
        }
        options.fingerprintBins = optional(fields["bins"], default: options.fingerprintBins, &ok) {
            count($0, path / "bins", in: 1...1000)
        }
        options.diverseObjective = optional(fields["objective"], default: options.diverseObjective, &ok) {
            reader.choice($0, path / "objective", among: DiverseObjective.allCases.map(\.rawValue)).flatMap(DiverseObjective.init(rawValue:))
        }
        options.diverseWeight = optional(fields["weight"], default: options.diverseWeight, &ok) {
            reader.choice($0, path / "weight", among: DiverseWeight.allCases.map(\.rawValue)).flatMap(DiverseWeight.init(rawValue:))
        }
        return ok
    }

    /// `taper: {soft, hard}`: DP-GEN's `fp_accurate_soft_threshold` / `fp_accurate_threshold`.
    private func decodeTaper(_ node: Node, _ path: KeyPath) -> AccurateTaper? {
        guard let fields = reader.fields(node, path, keys: ["soft", "hard"]) else { return nil }
        let soft = reader.required(fields, "soft", hint: " (accurate ratio from which the budget starts to shrink)")
            .flatMap { fraction($0, path / "soft") }
        let hard = reader.required(fields, "hard", hint: " (accurate ratio at which the budget reaches 0)")
            .flatMap { fraction($0, path / "hard", allowZero: false) }
        guard let soft, let hard else { return nil }
        guard soft < hard else {
            reader.error("\(path / "soft") (\(soft)) must be below \(path / "hard") (\(hard))", at: fields["soft"]?.mark ?? node.mark)
            return nil
        }
        return AccurateTaper(soft: soft, hard: hard)
    }

    /// `system_trust: {name: {lo, hi, virial?}}`: a fixed window per named system.
    private func decodeSystemTrust(_ node: Node, _ path: KeyPath, trust: TrustSettings?,
                                   systems: [NamedSystem]?) -> [String: TrustWindow]? {
        guard case .mapping(let pairs) = node.content else {
            reader.error("\(path) must be a mapping of system names to `{lo, hi}` windows, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        var ok = true
        if case .adaptive? = trust?.force {
            reader.error("\(path) needs a fixed `select.trust` window: an adaptive window is one window over all systems", at: node.mark)
            ok = false
        }
        let known = systems.map { Set($0.map(\.name)) }
        var out: [String: TrustWindow] = [:]
        for pair in pairs {
            guard let name = reader.string(pair.key, path) else { ok = false; continue }
            if let known, !known.contains(name) {
                reader.error("\(path) names `\(name)`, which is not a key of `systems`"
                             + Suggestion.phrase(for: name, among: known.sorted()), at: pair.key.mark)
                ok = false
                continue
            }
            guard let settings = decodeTrust(pair.value, path / name) else { ok = false; continue }
            guard case .fixed(let lo, let hi) = settings.force else {
                reader.error("\(path / name) must be a fixed window `{lo, hi}`, not adaptive", at: pair.value.mark)
                ok = false
                continue
            }
            out[name] = TrustWindow(forceLo: lo, forceHi: hi,
                                    virial: settings.virial.map { TrustWindow.ClosedBounds(lo: $0.lo, hi: $0.hi) })
        }
        return ok ? out : nil
    }
}
