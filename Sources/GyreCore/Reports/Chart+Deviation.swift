import Foundation

/// The max-force-deviation distribution of each iteration as ridgelines on a
/// log axis, with the trust window used drawn on every ridge: the picture of
/// an ensemble growing confident (ridges sliding left of lo).
enum DeviationChart {
    static func svg(_ report: RunReport) -> String {
        let rows = report.iterations.filter { $0.deviation != nil }
        let bins = report.deviationBins
        let range = xRange(rows, bins: bins)
        // Tall ridges for a few iterations, 24 px each for many: the plot stays readable either way.
        let ridge = min(60, max(24, 360 / Double(max(rows.count, 1))))
        let height = 80 + ridge * Double(max(rows.count, 1)) + 50
        var svg = SVG(width: 1000, height: height)
        let area = PlotArea(left: 150, top: 40 + ridge * 0.6, width: 720, height: ridge * Double(max(rows.count, 1)) + 6,
                            xRange: range, yRange: 0...1, logX: true)
        for t in Ticks.decades(range) {
            svg.line(area.x(t), area.top - ridge * 0.6, area.x(t), area.bottom, stroke: "#e4e4e4")
            svg.text(Ticks.label(t), x: area.x(t), y: area.bottom + 16, anchor: "middle", size: 10, fill: "#555")
        }
        svg.line(area.left, area.bottom, area.right, area.bottom, stroke: "#888")
        svg.text("max force deviation (eV/Å), log scale", x: area.left + area.width / 2, y: area.bottom + 34, anchor: "middle")
        svg.text("frames", x: area.right + 12, y: 20, size: 10, fill: "#555")
        var previousStage: Int?
        for (k, row) in rows.enumerated() {
            guard let h = row.deviation else { continue }
            let baseline = area.top + ridge * Double(k + 1)
            if let previousStage, previousStage != row.stageIndex {
                svg.line(4, baseline - ridge, area.right + 110, baseline - ridge, stroke: ReportPalette.stage, dash: "4 3")
            }
            if previousStage != row.stageIndex {
                svg.text("stage \(row.stage)", x: 4, y: baseline - 3, size: 10, fill: ReportPalette.stage)
            }
            previousStage = row.stageIndex
            drawRidge(&svg, h, bins: bins, area: area, baseline: baseline, height: ridge * 1.5, name: row.name)
            if let t = row.trust {
                let lo = area.x(t.lo), hi = area.x(t.hi)
                svg.line(lo, baseline - ridge * 1.2, lo, baseline, stroke: ReportPalette.trustLo, width: 2)
                svg.line(hi, baseline - ridge * 1.2, hi, baseline, stroke: ReportPalette.trustHi, width: 2)
            }
            svg.text(row.name + (row.converged == true ? " ✓" : ""), x: area.left - 8, y: baseline - 3, anchor: "end", size: 10)
            svg.text("\(h.rows)" + (h.nan > 0 ? " (\(h.nan) NaN)" : ""), x: area.right + 12, y: baseline - 3, size: 10, fill: "#555")
        }
        svg.legend([("trust lo", ReportPalette.trustLo), ("trust hi", ReportPalette.trustHi)], x: area.left, y: 16)
        return svg.rendered
    }

    /// One ridge: counts scaled to the iteration's own tallest bin (shape, not volume).
    static func drawRidge(_ svg: inout SVG, _ h: DeviationHistogram, bins: DeviationBins, area: PlotArea, baseline: Double,
                          height: Double, name: String) {
        let peak = Double(h.counts.max() ?? 0)
        guard peak > 0 else {
            svg.line(area.left, baseline, area.right, baseline, stroke: "#ccc")
            return
        }
        var points: [(Double, Double)] = [(area.left, baseline)]
        for (k, count) in h.counts.enumerated() {
            let mid = sqrt(bins.edge(k) * bins.edge(k + 1))
            guard mid >= area.xRange.lowerBound, mid <= area.xRange.upperBound else { continue }
            points.append((area.x(mid), baseline - height * Double(count) / peak))
        }
        points.append((area.right, baseline))
        svg.raw("<g><title>\(SVG.escape("\(name): \(h.rows) frames, median \(h.median.map { String(format: "%.3g", $0) } ?? "–") eV/Å, max \(h.max.map { String(format: "%.3g", $0) } ?? "–") eV/Å"))</title>")
        svg.path(points, stroke: "#33415c", fill: "rgba(86,180,233,0.55)", width: 1, close: true)
        svg.raw("</g>")
    }

    /// The decades that hold data or a trust bound, so the ridges fill the width.
    static func xRange(_ rows: [IterationReport], bins: DeviationBins) -> ClosedRange<Double> {
        var lo = Double.infinity, hi = -Double.infinity
        for row in rows {
            if let counts = row.deviation?.counts {
                if let first = counts.firstIndex(where: { $0 > 0 }) { lo = min(lo, bins.edge(first)) }
                if let last = counts.lastIndex(where: { $0 > 0 }) { hi = max(hi, bins.edge(last + 1)) }
            }
            if let t = row.trust, t.lo > 0 { lo = min(lo, t.lo); hi = max(hi, t.hi) }
        }
        guard lo.isFinite, hi.isFinite, lo < hi else { return 1e-3...1 }
        return pow(10, log10(lo).rounded(.down))...pow(10, log10(hi).rounded(.up))
    }
}
