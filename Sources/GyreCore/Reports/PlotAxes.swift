import Foundation

/// A plot's drawing area inside an SVG and its data-to-pixel mappings.
struct PlotArea {
    var left: Double, top: Double, width: Double, height: Double
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var logX = false
    var logY = false

    var right: Double { left + width }
    var bottom: Double { top + height }

    func x(_ v: Double) -> Double {
        let (a, b, t) = logX ? (log10(xRange.lowerBound), log10(xRange.upperBound), log10(max(v, 1e-300)))
            : (xRange.lowerBound, xRange.upperBound, v)
        return left + (b > a ? (t - a) / (b - a) : 0.5) * width
    }

    func y(_ v: Double) -> Double {
        let (a, b, t) = logY ? (log10(yRange.lowerBound), log10(yRange.upperBound), log10(max(v, 1e-300)))
            : (yRange.lowerBound, yRange.upperBound, v)
        return bottom - (b > a ? (t - a) / (b - a) : 0.5) * height
    }
}

/// Tick positions people read easily.
enum Ticks {
    /// About `count` ticks at 1, 2 or 5 × 10ⁿ spacing covering `range`.
    static func linear(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var t = (range.lowerBound / step).rounded(.up) * step
        while t <= range.upperBound + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    /// About `count` ticks at whole seconds, minutes or hours (30 s, 10 min, 2 h, …) from 0 to at least `top`.
    static func duration(upTo top: Double, count: Int = 5) -> [Double] {
        let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
        let raw = max(top, 1e-3) / Double(max(count, 1))
        let step = steps.first { $0 >= raw } ?? (raw / 86400).rounded(.up) * 86400
        let n = Int((max(top, 1e-3) / step).rounded(.up))
        return (0...n).map { Double($0) * step }
    }

    /// A tick label for a duration: 30s, 10m, 1h30m.
    static func durationLabel(_ s: Double) -> String {
        if s == 0 { return "0" }
        if s < 60 { return String(format: s < 1 ? "%.1fs" : "%.0fs", s) }
        let whole = Int(s.rounded())
        let m = whole / 60
        if m < 60 { return whole % 60 == 0 ? "\(m)m" : "\(m)m\(String(format: "%02d", whole % 60))s" }
        return m % 60 == 0 ? "\(m / 60)h" : "\(m / 60)h\(String(format: "%02d", m % 60))m"
    }

    /// Powers of ten inside `range` (which must be positive).
    static func decades(_ range: ClosedRange<Double>) -> [Double] {
        guard range.lowerBound > 0 else { return [] }
        let a = Int(log10(range.lowerBound).rounded(.up)), b = Int(log10(range.upperBound).rounded(.down))
        return a <= b ? (a...b).map { pow(10, Double($0)) } : []
    }

    /// A compact label: 0.05, 1e-3, 250.
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-2 { return String(format: "%.0e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e") }
        return String(format: "%g", v)
    }
}

/// Axes, grid and titles drawn around a ``PlotArea``.
extension SVG {
    mutating func axes(_ p: PlotArea, xTicks: [Double], yTicks: [Double], xLabel: String, yLabel: String,
                       xTickLabel: (Double) -> String = Ticks.label, yTickLabel: (Double) -> String = Ticks.label) {
        for t in yTicks {
            line(p.left, p.y(t), p.right, p.y(t), stroke: "#e4e4e4")
            text(yTickLabel(t), x: p.left - 6, y: p.y(t) + 4, anchor: "end", size: 10, fill: "#555")
        }
        for t in xTicks {
            line(p.x(t), p.bottom, p.x(t), p.bottom + 4, stroke: "#888")
            text(xTickLabel(t), x: p.x(t), y: p.bottom + 16, anchor: "middle", size: 10, fill: "#555")
        }
        line(p.left, p.bottom, p.right, p.bottom, stroke: "#888")
        line(p.left, p.top, p.left, p.bottom, stroke: "#888")
        text(xLabel, x: p.left + p.width / 2, y: p.bottom + 32, anchor: "middle", size: 11)
        text(yLabel, x: p.left - 44, y: p.top + p.height / 2, anchor: "middle", size: 11, rotate: -90)
    }

    /// A row of coloured swatches with names, starting at (x, y).
    mutating func legend(_ items: [(String, String)], x: Double, y: Double) {
        var cx = x
        for (name, color) in items {
            rect(x: cx, y: y - 9, w: 12, h: 12, fill: color)
            text(name, x: cx + 16, y: y + 1, size: 11)
            cx += 24 + Double(name.count) * 6.5
        }
    }
}
