/// Accurate / candidate / failed fractions of sampled frames, one stacked bar per iteration.
enum FractionsChart {
    static func svg(_ report: RunReport) -> String {
        let rows = report.iterations.filter { !$0.isFinal }
        var svg = SVG(width: 1000, height: 300)
        let area = PlotArea(left: 60, top: 40, width: 900, height: 190, xRange: 0...1, yRange: 0...100)
        svg.axes(area, xTicks: [], yTicks: [0, 25, 50, 75, 100], xLabel: "iteration", yLabel: "% of sampled frames")
        let bands = IterationBands(rows: rows, left: area.left, width: area.width)
        let barWidth = max(1, bands.band * 0.8)
        for (k, row) in rows.enumerated() {
            guard let f = row.frames, f.sampled > 0 else { continue }
            var base = 0.0
            for (value, count, color, name) in [
                (f.accuratePercent, f.accurate, ReportPalette.accurate, "accurate"),
                (f.candidatePercent, f.candidate, ReportPalette.candidate, "candidate"),
                (f.failedPercent, f.failed, ReportPalette.failed, "failed"),
            ] {
                svg.rect(x: bands.center(k) - barWidth / 2, y: area.y(base + value), w: barWidth, h: area.y(base) - area.y(base + value),
                         fill: color, title: "\(row.name): \(name) \(count) of \(f.sampled) (\(ReportFormat.percent(value)) %)")
                base += value
            }
        }
        bands.drawStages(&svg, top: area.top, bottom: area.bottom)
        bands.drawLabels(&svg, y: area.bottom + 14)
        svg.legend([("accurate", ReportPalette.accurate), ("candidate", ReportPalette.candidate), ("failed", ReportPalette.failed)],
                   x: area.left, y: 290)
        return svg.rendered
    }
}
