import Foundation

/// Compares the workflow a run was started with to the one given now, key by
/// key, so a resume can refuse changes that would invalidate finished work
/// and name them — and allow the ones that cannot (where tasks run, their
/// timeouts and retries, stages not yet begun).
public struct WorkflowChanges: Sendable {
    /// Changed key paths, e.g. `select.trust`, `explore.stages[1]`.
    public var changed: [String]
    /// The changed keys that could alter finished work.
    public var unsafe: [String]

    /// A fingerprint of the workflow's meaning: comments, spacing and key order do not count.
    public static func fingerprint(_ text: String) -> String {
        let sections = canonicalSections(text)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (key, value) in sections.sorted(by: { $0.key < $1.key }) {
            for byte in (key + "=" + value + "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        return String(format: "%016llx", hash)
    }

    /// - Parameter startedStages: stages the journal has begun; later ones may change freely.
    public init(old: String, new: String, startedStages: Int) {
        let a = Self.canonicalSections(old), b = Self.canonicalSections(new)
        changed = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
        unsafe = changed.filter { key in
            let last = key.split(separator: ".").last.map(String.init) ?? key
            if ["executor", "timeout", "retries"].contains(last) { return false }
            if let stage = Self.stageIndex(key), stage >= startedStages { return false }
            return true
        }
    }

    static func stageIndex(_ key: String) -> Int? {
        guard key.hasPrefix("explore.stages["), let close = key.firstIndex(of: "]") else { return nil }
        return Int(key[key.index(key.startIndex, offsetBy: 15)..<close])
    }

    /// Canonical text per key path: top-level keys, one level deeper in the
    /// step sections, and one entry per exploration stage.
    static func canonicalSections(_ text: String) -> [String: String] {
        guard let root = try? YAMLLoader().load(Array(text.utf8)), case .mapping(let pairs) = root.content else {
            return ["": text]
        }
        var out: [String: String] = [:]
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            if ["train", "explore", "select", "label"].contains(key), case .mapping(let inner) = pair.value.content {
                for p in inner {
                    let sub = "\(key).\(p.key.scalarText ?? "")"
                    if sub == "explore.stages", case .sequence(let stages) = p.value.content {
                        for (i, s) in stages.enumerated() { out["\(sub)[\(i)]"] = canonical(s) }
                    } else {
                        out[sub] = canonical(p.value)
                    }
                }
            } else {
                out[key] = canonical(pair.value)
            }
        }
        return out
    }

    static func canonical(_ node: Node) -> String {
        switch node.content {
        case .scalar(let s): return s.isPlain ? s.text : "\"\(s.text)\""
        case .sequence(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key.scalarText ?? ""):\(canonical($0.value))" }.sorted().joined(separator: ",") + "}"
        }
    }
}
