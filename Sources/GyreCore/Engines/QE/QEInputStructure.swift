import Foundation

/// Reads the structure back from a pw.x input (CELL_PARAMETERS and
/// ATOMIC_POSITIONS cards with `ibrav = 0`), the way dpdata pairs pw.in with
/// pw.out: the output prints positions with fewer digits than the input holds.
public enum QEInputStructure {
    /// Species, positions (Å) and cell of a pw.x input, or why they cannot be read.
    public static func read(_ text: String) -> Result<Frame, LabelRejection> {
        let lines = OutputText.lines(text)
        guard let natValue = namelistValue("nat", in: lines), let nat = Int(natValue), nat > 0 else {
            return .failure(LabelRejection("pw.in: no `nat` in &SYSTEM"))
        }
        if let ibrav = namelistValue("ibrav", in: lines), Int(ibrav) != 0 {
            return .failure(LabelRejection("pw.in: ibrav = \(ibrav); only ibrav = 0 with CELL_PARAMETERS is read"))
        }
        guard let cellStart = cardIndex("CELL_PARAMETERS", in: lines) else {
            return .failure(LabelRejection("pw.in: no CELL_PARAMETERS card"))
        }
        let cellUnit = cardUnit(lines[cellStart])
        let cellScale: Double
        switch cellUnit {
        case "angstrom": cellScale = 1
        case "bohr": cellScale = Units.bohr
        default: return .failure(LabelRejection("pw.in: CELL_PARAMETERS in `\(cellUnit)`; angstrom or bohr are read"))
        }
        let cellRows = dataLines(after: cellStart, in: lines, count: 3).compactMap { numbers($0, from: 0) }
        guard cellRows.count == 3, let matrix = Matrix3(rowMajor: cellRows.flatMap { $0 }) else {
            return .failure(LabelRejection("pw.in: CELL_PARAMETERS needs three rows of three numbers"))
        }
        let cell = Cell(cellScale * matrix)
        guard let positionStart = cardIndex("ATOMIC_POSITIONS", in: lines) else {
            return .failure(LabelRejection("pw.in: no ATOMIC_POSITIONS card"))
        }
        let unit = cardUnit(lines[positionStart])
        var species: [String] = []
        var positions: [SIMD3<Double>] = []
        for line in dataLines(after: positionStart, in: lines, count: nat) {
            let symbol = line.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            guard let xyz = numbers(line, from: 1) else {
                return .failure(LabelRejection("pw.in: unreadable ATOMIC_POSITIONS line `\(line)`"))
            }
            let v = SIMD3(xyz[0], xyz[1], xyz[2])
            switch unit {
            case "angstrom": positions.append(v)
            case "bohr": positions.append(Units.bohr * v)
            case "crystal": positions.append(cell.cartesian(fromFractional: v))
            default: return .failure(LabelRejection("pw.in: ATOMIC_POSITIONS in `\(unit)`; angstrom, bohr or crystal are read"))
            }
            // Pseudo-species labels such as Fe1, Fe2 name the element Fe.
            species.append(String(symbol.prefix { $0.isLetter }))
        }
        guard positions.count == nat else {
            return .failure(LabelRejection("pw.in: ATOMIC_POSITIONS has \(positions.count) atoms, nat = \(nat)"))
        }
        return .success(Frame(species: species, positions: positions, cell: cell))
    }

    /// `key = value` from a namelist (case-insensitive key; trailing comma and quotes dropped).
    static func namelistValue(_ key: String, in lines: [Substring]) -> String? {
        for line in lines where line.has("=") {
            // Several assignments may share a line, separated by commas.
            for part in line.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t'\""))
            }
        }
        return nil
    }

    static func cardIndex(_ name: String, in lines: [Substring]) -> Int? {
        // Cards may be written in any case; only lines holding the name's letters are worth uppercasing.
        let first = UInt8(ascii: "_")
        return lines.firstIndex { line in
            line.utf8.contains(first) && line.trimmingCharacters(in: .whitespaces).uppercased().hasPrefix(name)
        }
    }

    /// The unit after a card name: `ATOMIC_POSITIONS {angstrom}` or `(crystal)` or bare.
    static func cardUnit(_ line: Substring) -> String {
        let words = line.split { " \t{}()".contains($0) }
        return words.count > 1 ? words[1].lowercased() : "alat"
    }

    /// The next `count` non-blank, non-comment lines after a card's header.
    static func dataLines(after index: Int, in lines: [Substring], count: Int) -> [Substring] {
        var found: [Substring] = []
        var i = index + 1
        while i < lines.count, found.count < count {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, !trimmed.hasPrefix("!"), !trimmed.hasPrefix("#") { found.append(lines[i]) }
            i += 1
        }
        return found
    }

    /// Three numbers starting at token `from`, or nil. Fortran's `1.0d-3` is read too.
    static func numbers(_ line: Substring, from: Int) -> [Double]? {
        let tokens = line.split(whereSeparator: \.isWhitespace)
        guard tokens.count >= from + 3 else { return nil }
        let values = tokens[from..<(from + 3)].compactMap { Double($0.replacingOccurrences(of: "d", with: "e").replacingOccurrences(of: "D", with: "e")) }
        return values.count == 3 ? values : nil
    }
}
