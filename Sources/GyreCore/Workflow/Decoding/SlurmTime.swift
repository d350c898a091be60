/// Slurm's time formats: "minutes", "minutes:seconds", "hours:minutes:seconds",
/// "days-hours", "days-hours:minutes", "days-hours:minutes:seconds".
enum SlurmTime {
    /// Each field is bounded so no spelling can overflow (Slurm itself caps a limit at about a year).
    private static let fieldLimit = 10_000_000

    static func seconds(_ text: String) -> Double? {
        var days = 0
        var rest = Substring(text)
        let hasDays = rest.contains("-")
        if let dash = rest.firstIndex(of: "-") {
            guard let d = field(rest[..<dash]) else { return nil }
            days = d
            rest = rest[rest.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(field)
        guard !parts.isEmpty, parts.count <= 3 else { return nil }
        var p: [Double] = []
        for part in parts {
            guard let part else { return nil }
            p.append(Double(part))
        }
        let seconds: Double
        if hasDays {
            // days-hours[:minutes[:seconds]]
            let h = p[0], m = p.count > 1 ? p[1] : 0, s = p.count > 2 ? p[2] : 0
            seconds = ((Double(days) * 24 + h) * 60 + m) * 60 + s
        } else {
            switch p.count {
            case 1: seconds = p[0] * 60
            case 2: seconds = p[0] * 60 + p[1]
            default: seconds = (p[0] * 60 + p[1]) * 60 + p[2]
            }
        }
        return seconds
    }

    /// A field of plain ASCII digits (no sign, no spaces), within `fieldLimit`.
    private static func field(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 8, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let v = Int(text),
            v <= fieldLimit
        else { return nil }
        return v
    }
}
