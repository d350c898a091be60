import Foundation

/// Out-of-sample force and energy RMSE against the number of labels the
/// ensemble was trained on, beside the training error: the learning curve.
enum ErrorsChart {
    static func svg(_ report: RunReport) -> String {
        // The ensemble of iteration k was trained on the initial data and the labels of
        // iterations before k: the cumulative count before this iteration's additions.
        let points = report.iterations.compactMap { row -> (Double, ErrorMeasure?, ErrorMeasure?, String)? in
            guard !row.isFinal, let labels = row.labels else { return nil }
            return (Double(row.training?.frames ?? (labels.cumulative - labels.done + labels.duplicates)), row.holdout, row.training, row.name)
        }
        var svg = SVG(width: 1000, height: 300)
        panel(&svg, points, left: 70, title: "force RMSE (eV/Å)", value: { $0.forceRMSE }, format: { String(format: "%.4f eV/Å", $0) })
        panel(&svg, points, left: 570, title: "energy RMSE (meV/atom)", value: { $0.energyRMSEPerAtom * 1000 },
              format: { String(format: "%.2f meV/atom", $0) })
        svg.legend([("out-of-sample: ensemble mean on the next labels", ReportPalette.holdout),
                    ("training (mean over members)", ReportPalette.training)], x: 70, y: 290)
        return svg.rendered
    }

    static func panel(_ svg: inout SVG, _ points: [(Double, ErrorMeasure?, ErrorMeasure?, String)], left: Double, title: String,
                      value: (ErrorMeasure) -> Double, format: (Double) -> String) {
        let values = points.flatMap { [$0.1, $0.2].compactMap { $0.map(value) } }.filter(\.isFinite)
        let xs = points.map(\.0)
        let xTop = max(Ticks.linear(0...max(xs.max() ?? 1, 1)).last ?? 1, xs.max() ?? 1)
        // 10 % headroom so the highest point is not drawn on the frame.
        let yTop = max(Ticks.linear(0...max(1.1 * (values.max() ?? 1), 1e-9)).last ?? 1, 1.1 * (values.max() ?? 1))
        let area = PlotArea(left: left, top: 30, width: 380, height: 200, xRange: 0...xTop, yRange: 0...yTop)
        svg.axes(area, xTicks: Ticks.linear(0...xTop, count: 4), yTicks: Ticks.linear(0...yTop, count: 4),
                 xLabel: "labelled frames trained on (initial data included)", yLabel: "")
        svg.text(title, x: area.left, y: area.top - 10, size: 12, weight: "bold")
        guard !values.isEmpty else {
            svg.text("no out-of-sample data yet", x: area.left + area.width / 2, y: area.top + area.height / 2, anchor: "middle", fill: "#999")
            return
        }
        let training = points.compactMap { p in p.2.map { (area.x(p.0), area.y(value($0))) } }
        svg.path(training, stroke: ReportPalette.training, dash: "5 4")
        let holdout = points.compactMap { p in p.1.map { (area.x(p.0), area.y(value($0)), p.3, value($0), $0.frames) } }
        svg.path(holdout.map { ($0.0, $0.1) }, stroke: ReportPalette.holdout, width: 2)
        for p in holdout {
            svg.circle(x: p.0, y: p.1, r: 3.5, fill: ReportPalette.holdout, title: "\(p.2): \(format(p.3)) on \(p.4) new labels")
            if holdout.count <= 12 {
                svg.text(String(format: "%.3g", p.3), x: p.0 + 6, y: p.1 - 6, size: 10, fill: ReportPalette.holdout)
            }
        }
    }
}
