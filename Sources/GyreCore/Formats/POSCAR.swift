import Foundation

/// VASP's POSCAR/CONTCAR: comment, scale, three lattice vectors, element names
/// (VASP 5), counts, optional `Selective dynamics`, `Direct` or `Cartesian`,
/// then one coordinate line per atom, atoms grouped by element.
public enum POSCAR {
    /// How coordinates are written.
    public enum Coordinates: Sendable {
        /// Fractional coordinates of the lattice vectors.
        case direct
        /// Cartesian coordinates, Å.
        case cartesian
    }

    /// Reads the structure. A negative scale is VASP's target volume (Å³); three
    /// scale numbers scale each lattice vector. Selective-dynamics flags are
    /// read past and dropped. Element names such as `Cu_pv` or `Cu/1a2b` name
    /// the element before the `_` or `/`.
    public static func read(_ url: URL) throws -> Frame {
        let lines = try LineReader(url: url)
        let commentLine = try lines.requireLine("the comment line")
        let comment = Text.string(commentLine) ?? ""

        let scaleLine = try lines.requireLine("the scale factor")
        var t = Tokens(scaleLine)
        var scales: [Double] = []
        while let tok = t.next() {
            guard let v = NumberParser.double(tok), v.isFinite else {
                throw lines.error("expected the scale factor, found \(Text.show(tok))", column: t.column)
            }
            scales.append(v)
        }
        guard scales.count == 1 || scales.count == 3, !scales.contains(0) else {
            throw lines.error("expected one non-zero scale factor (or three), found \(scales.count) numbers")
        }
        var rows: [SIMD3<Double>] = []
        for k in 0..<3 {
            let line = try lines.requireLine("lattice vector \(k + 1)")
            rows.append(try vector(line, what: "lattice vector \(k + 1)", lines: lines))
        }
        let raw = Matrix3(rows[0], rows[1], rows[2])
        // Cartesian coordinates are scaled like the lattice, component by component.
        let scale: SIMD3<Double>
        if scales.count == 3 {
            guard scales.allSatisfy({ $0 > 0 }) else { throw lines.error("per-axis scale factors must be positive") }
            scale = SIMD3(scales[0], scales[1], scales[2])
        } else if scales[0] < 0 {
            let volume = abs(raw.determinant)
            guard volume > 0 else { throw lines.error("lattice vectors are degenerate (zero volume)") }
            scale = SIMD3(repeating: pow(-scales[0] / volume, 1.0 / 3.0))
        } else {
            scale = SIMD3(repeating: scales[0])
        }
        let matrix = Matrix3(scale * rows[0], scale * rows[1], scale * rows[2])
        let cell = Cell(matrix)
        guard cell.matrix.inverse != nil else { throw lines.error("lattice vectors are degenerate (zero volume)") }

        // VASP 5 has an element line before the counts; VASP 4 names elements only in the comment.
        var line = try lines.requireLine("element names or atom counts")
        var names: [String]
        var tk = Tokens(line)
        if let first = tk.next(), let c = first.first, !(c >= 48 && c <= 57) {
            var all = Tokens(line)
            guard let words = all.remainingStrings() else { throw lines.error("element line is not valid UTF-8") }
            names = words.map(elementName)
            line = try lines.requireLine("atom counts")
        } else {
            names = comment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { elementName(String($0)) }
        }
        var counts: [Int] = []
        var ct = Tokens(line)
        while let tok = ct.next() {
            guard let n = NumberParser.int(tok), n >= 0 else {
                throw lines.error("expected an atom count, found \(Text.show(tok))", column: ct.column)
            }
            counts.append(n)
        }
        guard !counts.isEmpty else { throw lines.error("expected atom counts") }
        if names.count > counts.count { names = Array(names.prefix(counts.count)) }
        guard names.count == counts.count else {
            throw lines.error("\(counts.count) atom counts but \(names.count) element names (VASP 4 files need the names in the comment line)")
        }
        for n in names where Element.named(n) == nil {
            throw lines.error("unknown element \"\(n)\"")
        }
        // Each coordinate line has at least 6 bytes: refuse counts the file cannot hold.
        let total = counts.reduce(0) { $0 > Int.max / 2 ? $0 : $0 + $1 }
        guard total <= lines.remainingBytes / 6 + 1 else {
            throw lines.error("counts add up to \(total) atoms but only \(lines.remainingBytes) bytes remain")
        }

        var mode = try lines.requireLine("Direct or Cartesian")
        if let c = firstLetter(mode), c == 83 || c == 115 {  // Selective dynamics
            mode = try lines.requireLine("Direct or Cartesian")
        }
        guard let m = firstLetter(mode) else { throw lines.error("expected Direct or Cartesian, found an empty line") }
        let cartesian: Bool
        switch m {
        case 67, 99, 75, 107: cartesian = true  // C, c, K, k
        case 68, 100: cartesian = false  // D, d
        default: throw lines.error("expected Direct or Cartesian, found \(Text.show(mode))")
        }

        var species: [String] = []
        var positions: [SIMD3<Double>] = []
        species.reserveCapacity(total)
        positions.reserveCapacity(total)
        for (name, n) in zip(names, counts) {
            for _ in 0..<n {
                let l = try lines.requireLine("coordinates of atom \(positions.count + 1) of \(total)")
                let v = try vector(l, what: "coordinates", lines: lines, allowExtra: true)
                positions.append(cartesian ? scale * v : cell.cartesian(fromFractional: v))
                species.append(name)
            }
        }
        return Frame(species: species, positions: positions, cell: cell)
    }

    /// Writes `frame` as a VASP 5 POSCAR. Atoms are regrouped by element in
    /// `elementOrder` (default: order of first appearance), so atom order can
    /// change; elements absent from the frame are left out.
    public static func write(_ frame: Frame, to url: URL, elementOrder: [String]? = nil,
                             coordinates: Coordinates = .direct) throws {
        let text = try format(frame, elementOrder: elementOrder, coordinates: coordinates)
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw GyreError(.io, "cannot write POSCAR", at: SourceLocation(file: url.path), cause: error)
        }
    }

    /// The POSCAR text for `frame`; see ``write(_:to:elementOrder:coordinates:)``.
    public static func format(_ frame: Frame, elementOrder: [String]? = nil,
                              coordinates: Coordinates = .direct) throws -> String {
        guard let cell = frame.cell else {
            throw GyreError(.invalidInput, "POSCAR needs a cell; this frame has none")
        }
        var order: [String] = []
        for s in elementOrder ?? frame.species where !order.contains(s) { order.append(s) }
        var groups: [[Int]] = Array(repeating: [], count: order.count)
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for (i, s) in frame.species.enumerated() {
            guard let k = index[s] else {
                throw GyreError(.invalidInput, "species \(s) is not in the element order \(order)")
            }
            groups[k].append(i)
        }
        let present = order.indices.filter { !groups[$0].isEmpty }
        guard let inverse = cell.matrix.inverse else {
            throw GyreError(.invalidInput, "POSCAR needs a non-degenerate cell")
        }
        var s = frame.formula + "\n1.0\n"
        for r in [cell.a, cell.b, cell.c] { s += "  \(r.x) \(r.y) \(r.z)\n" }
        s += present.map { order[$0] }.joined(separator: " ") + "\n"
        s += present.map { "\(groups[$0].count)" }.joined(separator: " ") + "\n"
        s += coordinates == .direct ? "Direct\n" : "Cartesian\n"
        for k in present {
            for i in groups[k] {
                let p = coordinates == .direct ? inverse.leftMultiply(frame.positions[i]) : frame.positions[i]
                s += "  \(p.x) \(p.y) \(p.z)\n"
            }
        }
        return s
    }

    private static func vector(_ line: UnsafeBufferPointer<UInt8>, what: String, lines: LineReader,
                               allowExtra: Bool = false) throws -> SIMD3<Double> {
        var t = Tokens(line)
        var v = SIMD3<Double>.zero
        for k in 0..<3 {
            let column = t.column
            guard let tok = t.next() else { throw lines.error("\(what): expected 3 numbers, found \(k)", column: column) }
            guard let x = NumberParser.double(tok), x.isFinite else {
                throw lines.error("\(what): expected a finite number, found \(Text.show(tok))", column: column)
            }
            v[k] = x
        }
        if !allowExtra, t.next() != nil { throw lines.error("\(what): expected 3 numbers, found more") }
        return v
    }

    private static func firstLetter(_ line: UnsafeBufferPointer<UInt8>) -> UInt8? {
        line.first { !Tokens.isSpace($0) }
    }

    private static func elementName(_ raw: String) -> String {
        String(raw.prefix { $0 != "_" && $0 != "/" })
    }
}
