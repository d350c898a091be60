/// Iterations laid out as equal bands along x, with stage boundaries: shared
/// by the per-iteration bar charts so they line up on the page.
struct IterationBands {
    let rows: [IterationReport]
    let left: Double
    let width: Double

    var band: Double { rows.isEmpty ? width : width / Double(rows.count) }

    func center(_ k: Int) -> Double { left + (Double(k) + 0.5) * band }

    /// Every n-th iteration labelled, so labels never collide.
    var labelEvery: Int { max(1, Int((22 / band).rounded(.up))) }

    /// Dashed lines where a new stage begins, the stage's name at the top, and
    /// a ✓ over each iteration where a stage converged.
    func drawStages(_ svg: inout SVG, top: Double, bottom: Double, convergence: Bool = true) {
        var previous: Int?
        for (k, row) in rows.enumerated() {
            if previous != row.stageIndex {
                let x = left + Double(k) * band
                if previous != nil { svg.line(x, top - 12, x, bottom, stroke: ReportPalette.stage, dash: "4 3") }
                svg.text(row.isFinal ? "final" : "stage \(row.stage)", x: x + 3, y: top - 3, size: 10, fill: ReportPalette.stage)
            }
            previous = row.stageIndex
            if convergence, row.converged == true {
                svg.text("✓", x: center(k), y: top + 11, anchor: "middle", size: 12, fill: "#000", weight: "bold")
            }
        }
    }

    func drawLabels(_ svg: inout SVG, y: Double) {
        for (k, row) in rows.enumerated() where k % labelEvery == 0 {
            svg.text(row.isFinal ? "final" : String(row.index), x: center(k), y: y, anchor: "middle", size: 10, fill: "#555")
        }
    }
}
