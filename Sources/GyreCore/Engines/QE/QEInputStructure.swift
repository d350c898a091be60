import Foundation

/// Reads the structure back from a pw.x input (CELL_PARAMETERS and
/// ATOMIC_POSITIONS cards with `ibrav = 0`), the way dpdata pairs pw.in with
/// pw.out: the output prints positions with fewer digits than the input holds.
/// Works on the input's bytes: it is read once per label task at ingest.
public enum QEInputStructure {
    /// Species, positions (Å) and cell of a pw.x input, or why they cannot be read.
    public static func read(_ text: String) -> Result<Frame, LabelRejection> {
        OutputScan.withBytes(of: text) { read($0) }
    }

    static func read(_ input: OutputScan) -> Result<Frame, LabelRejection> {
        let lines = input.allLines
        guard let natValue = namelistValue("nat", in: lines, of: input), let nat = NumberParser.int(natValue), nat > 0 else {
            return .failure(LabelRejection("pw.in: no `nat` in &SYSTEM"))
        }
        if let ibrav = namelistValue("ibrav", in: lines, of: input), NumberParser.int(ibrav) != 0 {
            return .failure(LabelRejection("pw.in: ibrav = \(String(decoding: ibrav, as: UTF8.self)); only ibrav = 0 with CELL_PARAMETERS is read"))
        }
        guard let cellStart = cardIndex("CELL_PARAMETERS", in: lines, of: input) else {
            return .failure(LabelRejection("pw.in: no CELL_PARAMETERS card"))
        }
        let cellUnit = cardUnit(input[lines[cellStart]])
        let cellScale: Double
        switch cellUnit {
        case "angstrom": cellScale = 1
        case "bohr": cellScale = Units.bohr
        default: return .failure(LabelRejection("pw.in: CELL_PARAMETERS in `\(cellUnit)`; angstrom or bohr are read"))
        }
        let cellRows = dataLines(after: cellStart, in: lines, of: input, count: 3).compactMap { vector(input[$0], from: 0) }
        guard cellRows.count == 3 else {
            return .failure(LabelRejection("pw.in: CELL_PARAMETERS needs three rows of three numbers"))
        }
        let cell = Cell(cellScale * Matrix3(cellRows[0], cellRows[1], cellRows[2]))
        guard let positionStart = cardIndex("ATOMIC_POSITIONS", in: lines, of: input) else {
            return .failure(LabelRejection("pw.in: no ATOMIC_POSITIONS card"))
        }
        let unit = cardUnit(input[lines[positionStart]])
        var species: [String] = []
        var positions: [SIMD3<Double>] = []
        for line in dataLines(after: positionStart, in: lines, of: input, count: nat) {
            var t = Tokens(input[line])
            let symbol = t.next() ?? UnsafeBufferPointer(start: nil, count: 0)
            guard let v = vector(input[line], from: 1) else {
                return .failure(LabelRejection("pw.in: unreadable ATOMIC_POSITIONS line `\(input.text(line))`"))
            }
            switch unit {
            case "angstrom": positions.append(v)
            case "bohr": positions.append(Units.bohr * v)
            case "crystal": positions.append(cell.cartesian(fromFractional: v))
            default: return .failure(LabelRejection("pw.in: ATOMIC_POSITIONS in `\(unit)`; angstrom, bohr or crystal are read"))
            }
            // Pseudo-species labels such as Fe1, Fe2 name the element Fe.
            species.append(String(decoding: symbol.prefix { ($0 | 0x20) &- 97 < 26 }, as: UTF8.self))
        }
        guard positions.count == nat else {
            return .failure(LabelRejection("pw.in: ATOMIC_POSITIONS has \(positions.count) atoms, nat = \(nat)"))
        }
        return .success(Frame(species: species, positions: positions, cell: cell))
    }

    /// `key = value` from a namelist (case-insensitive key; trailing comma and quotes dropped).
    static func namelistValue(_ key: StaticString, in lines: [Range<Int>], of input: OutputScan) -> UnsafeBufferPointer<UInt8>? {
        for line in lines {
            // Several assignments may share a line, separated by commas.
            for part in input[line].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
                guard let eq = part.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let name = trimmed(UnsafeBufferPointer(rebasing: part[..<eq]), also: 32)
                guard Text.equalsIgnoringCase(name, key) else { continue }
                return trimmed(UnsafeBufferPointer(rebasing: part[(eq + 1)...]), also: 32, UInt8(ascii: "'"), UInt8(ascii: "\""))
            }
        }
        return nil
    }

    /// Index of the card's line: the first whose trimmed text starts with `name` in any case.
    static func cardIndex(_ name: StaticString, in lines: [Range<Int>], of input: OutputScan) -> Int? {
        let n = name.utf8CodeUnitCount
        return lines.firstIndex { line in
            let t = trimmed(input[line], also: 32)
            return t.count >= n && Text.equalsIgnoringCase(UnsafeBufferPointer(rebasing: t[0..<n]), name)
        }
    }

    /// The unit after a card name: `ATOMIC_POSITIONS {angstrom}` or `(crystal)` or bare.
    static func cardUnit(_ line: UnsafeBufferPointer<UInt8>) -> String {
        let separators: [UInt8] = Array(" \t{}()".utf8)
        let words = line.split { separators.contains($0) }
        return words.count > 1 ? String(decoding: words[1], as: UTF8.self).lowercased() : "alat"
    }

    /// The next `count` non-blank, non-comment lines after a card's header.
    static func dataLines(after index: Int, in lines: [Range<Int>], of input: OutputScan, count: Int) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = index + 1
        while i < lines.count, found.count < count {
            let t = trimmed(input[lines[i]], also: 32)
            if let c = t.first, c != UInt8(ascii: "!"), c != UInt8(ascii: "#") { found.append(lines[i]) }
            i += 1
        }
        return found
    }

    /// Three numbers starting at token `from`, or nil. Fortran's `1.0d-3` is read too.
    static func vector(_ line: UnsafeBufferPointer<UInt8>, from: Int) -> SIMD3<Double>? {
        var t = Tokens(line)
        for _ in 0..<from { guard t.next() != nil else { return nil } }
        guard let x = t.next().flatMap(fortranDouble), let y = t.next().flatMap(fortranDouble),
              let z = t.next().flatMap(fortranDouble) else { return nil }
        return SIMD3(x, y, z)
    }

    /// A number with `d`/`D` read as the exponent letter `e`.
    static func fortranDouble(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        guard token.contains(where: { $0 | 0x20 == UInt8(ascii: "d") }) else { return NumberParser.double(token) }
        let e = token.map { $0 | 0x20 == UInt8(ascii: "d") ? UInt8(ascii: "e") : $0 }
        return e.withUnsafeBufferPointer { NumberParser.double($0) }
    }

    /// The bytes without leading and trailing tabs, `\r` and the given bytes.
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, also extra: UInt8...) -> UnsafeBufferPointer<UInt8> {
        func strip(_ c: UInt8) -> Bool { c == 9 || c == 13 || extra.contains(c) }
        guard let first = b.firstIndex(where: { !strip($0) }), let last = b.lastIndex(where: { !strip($0) }) else {
            return UnsafeBufferPointer(rebasing: b[0..<0])
        }
        return UnsafeBufferPointer(rebasing: b[first...last])
    }
}
