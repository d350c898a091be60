/// Slurm's time formats: "minutes", "minutes:seconds", "hours:minutes:seconds",
/// "days-hours", "days-hours:minutes", "days-hours:minutes:seconds".
enum SlurmTime {
    static func seconds(_ text: String) -> Double? {
        var days = 0
        var rest = Substring(text)
        if let dash = rest.firstIndex(of: "-") {
            guard let d = Int(rest[..<dash]), d >= 0 else { return nil }
            days = d
            rest = rest[rest.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        let p = parts.compactMap { $0 }
        let seconds: Int
        if text.contains("-") {
            // days-hours[:minutes[:seconds]]
            let h = p[0], m = p.count > 1 ? p[1] : 0, s = p.count > 2 ? p[2] : 0
            seconds = ((days * 24 + h) * 60 + m) * 60 + s
        } else {
            switch p.count {
            case 1: seconds = p[0] * 60
            case 2: seconds = p[0] * 60 + p[1]
            default: seconds = (p[0] * 60 + p[1]) * 60 + p[2]
            }
        }
        return Double(seconds)
    }
}
