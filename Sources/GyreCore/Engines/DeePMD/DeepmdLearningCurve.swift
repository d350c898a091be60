import Foundation

/// DeePMD-kit's learning curve (`lcurve.out`): a `# step rmse_… lr` header
/// naming the columns, then one row per `disp_freq` steps. Columns differ by
/// backend and by whether validation data is set (`rmse_e_val`, `rmse_f_val`),
/// so they are found by name, never by position.
public struct DeepmdLearningCurve: Sendable, Equatable {
    public var columns: [String]
    /// Data rows in file order, one value per column.
    public var rows: [[Double]]

    /// The columns whose NaN means training diverged: the total, energy and
    /// force RMSEs. (Virial columns are NaN by design when the data has no virial.)
    static let divergenceColumns: Set<String> = ["rmse_trn", "rmse_val", "rmse_e_trn", "rmse_e_val", "rmse_f_trn", "rmse_f_val"]

    public init(columns: [String], rows: [[Double]]) {
        self.columns = columns
        self.rows = rows
    }

    public static func read(_ url: URL) throws -> DeepmdLearningCurve {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GyreError(.engineOutput, "cannot read the learning curve", at: SourceLocation(file: url.path), cause: error)
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String) throws -> DeepmdLearningCurve {
        var columns: [String]?
        var rows: [[Double]] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let first = words.first else { continue }
            if first.hasPrefix("#") {
                // The header is the comment whose first word is `step`; other comments are notes.
                let names = line.drop(while: { $0 == "#" || $0.isWhitespace }).split(whereSeparator: \.isWhitespace).map(String.init)
                if columns == nil, names.first == "step" { columns = names }
                continue
            }
            guard let columns else {
                throw GyreError(.malformedFile, "a data row before the `# step …` header", at: SourceLocation(file: file, line: n + 1))
            }
            // A row cut short by a killed run is not an error of the format: it is the end.
            guard words.count == columns.count else { break }
            var row: [Double] = []
            for word in words {
                // Swift's Double(_:) accepts "nan" and "inf" as DeePMD-kit prints them.
                guard let v = Double(word) else {
                    throw GyreError(.malformedFile, "`\(word)` is not a number", at: SourceLocation(file: file, line: n + 1))
                }
                row.append(v)
            }
            rows.append(row)
        }
        guard let columns else {
            throw GyreError(.malformedFile, "no `# step …` header line", at: SourceLocation(file: file))
        }
        return DeepmdLearningCurve(columns: columns, rows: rows)
    }

    /// The last row's value of `column`; nil when there is no such column or no row.
    public func last(_ column: String) -> Double? {
        guard let i = columns.firstIndex(of: column), let row = rows.last else { return nil }
        return row[i]
    }

    /// The first row where an energy or force RMSE is NaN or infinite, as (step, column).
    public var divergence: (step: Double, column: String)? {
        let watched = columns.indices.filter { Self.divergenceColumns.contains(columns[$0]) }
        for row in rows {
            if let i = watched.first(where: { !row[$0].isFinite }) { return (row[0], columns[i]) }
        }
        return nil
    }

    /// The final RMSEs (energy per atom, force), training and — when the
    /// template had validation data — validation.
    public var finalErrors: DeepmdTrainingErrors? {
        guard let step = last("step") else { return nil }
        return DeepmdTrainingErrors(
            steps: Int(step), energyTrain: last("rmse_e_trn"), forceTrain: last("rmse_f_trn"),
            energyValidation: last("rmse_e_val"), forceValidation: last("rmse_f_val"))
    }
}

/// A member's errors at the end of its training, as DeePMD-kit reported them:
/// energy RMSE per atom (eV/atom) and force RMSE (eV/Å) on the last batch.
public struct DeepmdTrainingErrors: Sendable, Equatable, Codable {
    public var steps: Int
    public var energyTrain: Double?
    public var forceTrain: Double?
    public var energyValidation: Double?
    public var forceValidation: Double?
}
