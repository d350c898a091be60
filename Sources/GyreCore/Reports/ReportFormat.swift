import Foundation

/// Number and duration formatting shared by the text and HTML renderers.
enum ReportFormat {
    static func percent(_ x: Double) -> String { String(format: "%.1f", x) }

    /// meV/atom for energies: the unit people compare potentials in.
    static func milli(_ x: Double?) -> String {
        guard let x else { return "–" }
        // Well-fitted training sets sit below 1 meV/atom: keep two decimals there.
        return String(format: abs(x) < 1e-3 ? "%.2f" : "%.1f", x * 1000)
    }

    static func force(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }

    static func window(_ t: TrustUsed?) -> String {
        guard let t else { return "–" }
        return String(format: "%.3g–%.3g", t.lo, t.hi) + (t.adaptive ? "*" : "")
    }

    /// 42 s, 3m05s, 2h07m.
    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "–" }
        let total = Int(s.rounded())
        if s < 60 { return String(format: s < 10 ? "%.1fs" : "%.0fs", s) }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }

    /// One step's wall time, or "–" when the iteration has no such step.
    static func stepTime(_ row: IterationReport, _ kind: StepKind) -> String {
        row.steps.first { $0.kind == kind.rawValue }.map { duration($0.wallSeconds) } ?? "–"
    }
}
