import Foundation

/// A minimal SVG writer: elements appended as text, every string escaped, numbers
/// rounded to 0.1 px so the page stays small.
struct SVG {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, title: String? = nil, extra: String = "") {
        guard w > 0, h > 0 else { return }
        let attrs = "x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\" fill=\"\(fill)\"\(extra)"
        if let title {
            body += "<rect \(attrs)><title>\(Self.escape(title))</title></rect>"
        } else {
            body += "<rect \(attrs)/>"
        }
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(Self.n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 11, fill: String = "#333",
                       weight: String? = nil, rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))\"" } ?? ""
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + transform + ">\(Self.escape(s))</text>"
    }

    /// A polyline (`fill` none) or closed area through `points`.
    mutating func path(_ points: [(Double, Double)], stroke: String, fill: String = "none", width: Double = 1.5,
                       dash: String? = nil, close: Bool = false) {
        guard let first = points.first else { return }
        var d = "M\(Self.n(first.0)) \(Self.n(first.1))"
        for p in points.dropFirst() { d += "L\(Self.n(p.0)) \(Self.n(p.1))" }
        if close { d += "Z" }
        body += "<path d=\"\(d)\" stroke=\"\(stroke)\" fill=\"\(fill)\" stroke-width=\"\(Self.n(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + " stroke-linejoin=\"round\"/>"
    }

    mutating func circle(x: Double, y: Double, r: Double, fill: String, title: String? = nil) {
        let attrs = "cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\""
        body += title.map { "<circle \(attrs)><title>\(Self.escape($0))</title></circle>" } ?? "<circle \(attrs)/>"
    }

    mutating func raw(_ s: String) { body += s }

    /// The finished element, sized to scale with the page.
    var rendered: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" "
            + "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" font-family=\"system-ui, sans-serif\">\(body)</svg>"
    }
}
