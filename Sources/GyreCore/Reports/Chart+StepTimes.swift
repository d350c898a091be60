/// Wall time of each step per iteration as stacked bars, with Gyre's overhead
/// (time no task ran) marked on each bar.
enum StepTimesChart {
    static func svg(_ report: RunReport) -> String {
        let rows = report.iterations
        let kinds = StepKind.allCases.map(\.rawValue)
        let totals = rows.map { $0.steps.reduce(0) { $0 + $1.wallSeconds } }
        let ticks = Ticks.duration(upTo: totals.max() ?? 1)
        let top = ticks.last ?? 1
        var svg = SVG(width: 1000, height: 300)
        let area = PlotArea(left: 60, top: 40, width: 900, height: 190, xRange: 0...1, yRange: 0...top)
        svg.axes(area, xTicks: [], yTicks: ticks, xLabel: "iteration", yLabel: "wall time", yTickLabel: Ticks.durationLabel)
        let bands = IterationBands(rows: rows, left: area.left, width: area.width)
        let barWidth = max(1, bands.band * 0.8)
        for (k, row) in rows.enumerated() {
            var base = 0.0
            for kind in kinds {
                guard let step = row.steps.first(where: { $0.kind == kind }) else { continue }
                svg.rect(x: bands.center(k) - barWidth / 2, y: area.y(base + step.wallSeconds), w: barWidth,
                         h: area.y(base) - area.y(base + step.wallSeconds), fill: ReportPalette.step(kind),
                         title: "\(row.name) \(kind): \(ReportFormat.duration(step.wallSeconds)) wall, "
                            + "\(ReportFormat.duration(step.taskSeconds)) in tasks, \(ReportFormat.duration(step.idleSeconds)) no task running")
                base += step.wallSeconds
            }
            if row.overheadSeconds > 0 {
                let y = area.y(row.overheadSeconds)
                svg.line(bands.center(k) - barWidth / 2, y, bands.center(k) + barWidth / 2, y, stroke: ReportPalette.overhead, width: 2)
            }
        }
        bands.drawStages(&svg, top: area.top, bottom: area.bottom, convergence: false)
        bands.drawLabels(&svg, y: area.bottom + 14)
        svg.legend(kinds.map { ($0, ReportPalette.step($0)) } + [("— overhead (no task running)", ReportPalette.overhead)],
                   x: area.left, y: 290)
        return svg.rendered
    }
}
