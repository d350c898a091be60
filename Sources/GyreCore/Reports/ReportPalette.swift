/// Colours of the report: one meaning per colour across every plot
/// (colour-blind-safe Okabe–Ito hues).
enum ReportPalette {
    static let accurate = "#009E73"
    static let candidate = "#E69F00"
    static let failed = "#D55E00"
    static let trustLo = "#0072B2"
    static let trustHi = "#D55E00"
    static let holdout = "#0072B2"
    static let training = "#999999"
    static let overhead = "#222222"
    static let stage = "#7a7a7a"

    static func step(_ kind: String) -> String {
        switch kind {
        case "train": "#0072B2"
        case "explore": "#56B4E9"
        case "select": "#CC79A7"
        case "label": "#E69F00"
        case "ingest": "#009E73"
        default: "#999999"
        }
    }
}
