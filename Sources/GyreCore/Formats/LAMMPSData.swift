import Foundation

/// LAMMPS data files in `atom_style atomic` (`id type x y z [ix iy iz]`), with
/// an orthogonal or triclinic box and a Masses section. Types are numbered
/// from 1: type i+1 is `typeMap[i]`.
public enum LAMMPSData {
    /// Reads the file. Without a `typeMap`, element names come from the
    /// comments of the Masses section (`1 63.546 # Cu`) or, failing that, from
    /// the mass itself. Positions are kept as written (not shifted by the box
    /// origin); image flags are read past. `atom_style charge` lines
    /// (`id type q x y z`) are accepted when the Atoms header says so; the
    /// `Velocities`, `Pair Coeffs` and `PairIJ Coeffs` sections are read past.
    public static func read(_ url: URL, typeMap: [String]? = nil) throws -> Frame {
        let lines = try LineReader(url: url)
        _ = try lines.requireLine("the title line")
        var natoms: Int?
        var ntypes: Int?
        var lo = SIMD3<Double>.zero, hi = SIMD3<Double>(repeating: .nan), tilt = SIMD3<Double>.zero
        var masses: [Int: (mass: Double, name: String?)] = [:]
        var ids: [Int] = []
        var types: [Int] = []
        var positions: [SIMD3<Double>] = []

        var pending = try lines.nextLine()
        // Header: "N atoms", "N atom types", "lo hi xlo xhi", "xy xz yz xy xz yz"; other counts are read past.
        while let line = pending {
            let body = Text.strippingComment(line)
            if Text.isBlank(body) { pending = try lines.nextLine(); continue }
            var t = Tokens(body)
            var numbers: [Double] = []
            var words: [String] = []
            while let tok = t.next() {
                if words.isEmpty, let v = NumberParser.double(tok) { numbers.append(v) } else {
                    guard let w = Text.string(tok) else { throw lines.error("header line is not valid UTF-8") }
                    words.append(w)
                }
            }
            let keyword = words.joined(separator: " ")
            if numbers.isEmpty { break }  // a section title
            switch keyword {
            case "atoms":
                guard numbers.count == 1, let n = Int(exactly: numbers[0]), n >= 0 else { throw lines.error("expected \"N atoms\"") }
                // An atom line takes at least 8 bytes ("1 1 0 0 0").
                guard n <= lines.remainingBytes / 8 + 1 else {
                    throw lines.error("header claims \(n) atoms but only \(lines.remainingBytes) bytes remain")
                }
                natoms = n
            case "atom types":
                guard numbers.count == 1, let n = Int(exactly: numbers[0]), n >= 1, n <= 10_000 else {
                    throw lines.error("expected \"N atom types\" with 1 ≤ N ≤ 10000")
                }
                ntypes = n
            case "xlo xhi", "ylo yhi", "zlo zhi":
                guard numbers.count == 2, numbers.allSatisfy(\.isFinite) else { throw lines.error("expected \"lo hi \(keyword)\"") }
                let k = keyword == "xlo xhi" ? 0 : keyword == "ylo yhi" ? 1 : 2
                lo[k] = numbers[0]
                hi[k] = numbers[1]
            case "xy xz yz":
                guard numbers.count == 3, numbers.allSatisfy(\.isFinite) else { throw lines.error("expected \"xy xz yz xy xz yz\"") }
                tilt = SIMD3(numbers[0], numbers[1], numbers[2])
            default:
                break  // bonds, angles, … : not used by atomic style
            }
            pending = try lines.nextLine()
        }
        guard let natoms else { throw lines.error("the header has no \"N atoms\" line") }
        guard hi.x.isFinite, hi.y.isFinite, hi.z.isFinite else {
            throw lines.error("the header needs xlo xhi, ylo yhi and zlo zhi")
        }
        // Sections: a title line, a blank line, then a known number of lines.
        var sawAtoms = false
        while let line = pending {
            let body = Text.strippingComment(line)
            if Text.isBlank(body) { pending = try lines.nextLine(); continue }
            var t = Tokens(body)
            guard let title = t.remainingStrings()?.joined(separator: " ") else {
                throw lines.error("section title is not valid UTF-8")
            }
            let hint = Text.string(line).flatMap { $0.split(separator: "#", maxSplits: 1).dropFirst().first }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            switch title {
            case "Masses":
                guard let ntypes else { throw lines.error("Masses section before \"N atom types\"") }
                for _ in 0..<ntypes {
                    let l = try nonBlank(lines, "a Masses line")
                    var mt = Tokens(Text.strippingComment(l))
                    guard let tt = mt.next(), let type = NumberParser.int(tt), let mm = mt.next(),
                          let mass = NumberParser.double(mm), mass.isFinite, mass > 0, mt.next() == nil else {
                        throw lines.error("expected \"type mass\" in Masses")
                    }
                    let name = Text.string(l).flatMap { $0.split(separator: "#", maxSplits: 1).dropFirst().first }
                        .map { $0.trimmingCharacters(in: .whitespaces) }
                    masses[type] = (mass, name.flatMap { $0.isEmpty ? nil : $0 })
                }
            case "Atoms":
                let style = hint ?? "atomic"
                let skipCharge: Bool
                switch style {
                case "atomic": skipCharge = false
                case "charge": skipCharge = true
                default: throw lines.error("Atoms section in style \(style): only atomic (and charge) are read")
                }
                ids.reserveCapacity(natoms)
                types.reserveCapacity(natoms)
                positions.reserveCapacity(natoms)
                let base = skipCharge ? 6 : 5
                for a in 0..<natoms {
                    let l = try nonBlank(lines, "atom line \(a + 1) of \(natoms)")
                    let body = Text.strippingComment(l)
                    var at = Tokens(body)
                    let n = at.remainingCount
                    guard n == base || n == base + 3 else {
                        throw lines.error("atom line has \(n) columns, expected \(base) or \(base + 3) (id type\(skipCharge ? " q" : "") x y z [ix iy iz])")
                    }
                    guard let idTok = at.next(), let id = NumberParser.int(idTok), id >= 1 else {
                        throw lines.error("expected a positive atom id", column: 1)
                    }
                    let typeColumn = at.column
                    guard let typeTok = at.next(), let type = NumberParser.int(typeTok), type >= 1,
                          ntypes.map({ type <= $0 }) ?? true else {
                        throw lines.error("expected an atom type between 1 and \(ntypes ?? 0)", column: typeColumn)
                    }
                    if skipCharge { _ = at.next() }
                    var p = SIMD3<Double>.zero
                    for k in 0..<3 {
                        let column = at.column
                        guard let tok = at.next(), let v = NumberParser.double(tok), v.isFinite else {
                            throw lines.error("expected a finite coordinate", column: column)
                        }
                        p[k] = v
                    }
                    ids.append(id)
                    types.append(type)
                    positions.append(p)
                }
                sawAtoms = true
            case "Velocities":
                for a in 0..<natoms { _ = try nonBlank(lines, "velocity line \(a + 1) of \(natoms)") }
            case "Pair Coeffs", "PairIJ Coeffs":
                // write_data saves the force field; Gyre reads past it.
                guard let ntypes else { throw lines.error("\(title) section before \"N atom types\"") }
                let n = title == "Pair Coeffs" ? ntypes : ntypes * (ntypes + 1) / 2
                for k in 0..<n { _ = try nonBlank(lines, "\(title) line \(k + 1) of \(n)") }
            default:
                throw lines.error("unsupported section \"\(title)\" in an atomic-style data file")
            }
            pending = try lines.nextLine()
        }
        guard sawAtoms || natoms == 0 else { throw lines.truncated("an Atoms section") }

        let names = try typeNames(typeMap: typeMap, masses: masses, ntypes: ntypes ?? (types.max() ?? 0), lines: lines)
        // Atoms in id order, like LAMMPS numbers them.
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        for k in order.indices.dropFirst() where ids[order[k]] == ids[order[k - 1]] {
            throw lines.error("atom id \(ids[order[k]]) appears twice")
        }
        var species: [String] = []
        species.reserveCapacity(natoms)
        for i in order {
            guard types[i] <= names.count else {
                throw lines.error("atom type \(types[i]) has no element: typeMap has \(names.count) entries")
            }
            species.append(names[types[i] - 1])
        }
        let box = LAMMPSBox(lo: lo, hi: hi, tilt: tilt)
        return Frame(species: species, positions: order.map { positions[$0] }, cell: Cell(box.matrix))
    }

    /// Writes `frame` in atomic style with `typeMap.count` atom types and their masses.
    /// A cell that is not already restricted triclinic (a along x, b in the xy
    /// plane) is rotated into that form, **and the positions are rotated with it**:
    /// the written structure is the same up to a rigid rotation.
    public static func write(_ frame: Frame, to url: URL, typeMap: [String]) throws {
        let text = try format(frame, typeMap: typeMap)
        let out = try FileWriter(url: url)
        try out.write(text)
        try out.close()
    }

    /// The data-file text for `frame`; see ``write(_:to:typeMap:)``.
    public static func format(_ frame: Frame, typeMap: [String]) throws -> String {
        guard let cell = frame.cell else { throw GyreError(.invalidInput, "a LAMMPS data file needs a cell; this frame has none") }
        guard let (box, rotate) = LAMMPSBox.restricted(from: cell.matrix) else {
            throw GyreError(.invalidInput, "the cell is left-handed or degenerate: LAMMPS cannot represent it")
        }
        let typeIndex = Dictionary(typeMap.enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { first, _ in first })
        var s = "LAMMPS data file written by Gyre: \(frame.formula)\n\n"
        s += "\(frame.count) atoms\n\(typeMap.count) atom types\n\n"
        s += "\(box.lo.x) \(box.hi.x) xlo xhi\n\(box.lo.y) \(box.hi.y) ylo yhi\n\(box.lo.z) \(box.hi.z) zlo zhi\n"
        if box.isTriclinic { s += "\(box.tilt.x) \(box.tilt.y) \(box.tilt.z) xy xz yz\n" }
        s += "\nMasses\n\n"
        for (i, name) in typeMap.enumerated() {
            guard let e = Element.named(name) else { throw GyreError(.invalidInput, "typeMap entry \"\(name)\" is not an element") }
            s += "\(i + 1) \(e.mass) # \(name)\n"
        }
        s += "\nAtoms # atomic\n\n"
        for i in 0..<frame.count {
            guard let type = typeIndex[frame.species[i]] else {
                throw GyreError(.invalidInput, "species \(frame.species[i]) of atom \(i + 1) is not in typeMap \(typeMap)")
            }
            let p = rotate(frame.positions[i])
            s += "\(i + 1) \(type) \(p.x) \(p.y) \(p.z)\n"
        }
        return s
    }

    private static func nonBlank(_ lines: LineReader, _ expected: String) throws -> UnsafeBufferPointer<UInt8> {
        while true {
            let l = try lines.requireLine(expected)
            if !Text.isBlank(Text.strippingComment(l)) { return l }
        }
    }

    private static func typeNames(typeMap: [String]?, masses: [Int: (mass: Double, name: String?)], ntypes: Int,
                                  lines: LineReader) throws -> [String] {
        if let typeMap { return typeMap }
        var names: [String] = []
        for type in 1...max(ntypes, 1) where type <= ntypes {
            guard let m = masses[type] else {
                throw lines.error("no typeMap given and no mass for atom type \(type) to infer the element from")
            }
            if let n = m.name, Element.named(n) != nil {
                names.append(n)
            } else if let e = Element.all.min(by: { abs($0.mass - m.mass) < abs($1.mass - m.mass) }),
                      abs(e.mass - m.mass) < 0.05 {
                names.append(e.symbol)
            } else {
                throw lines.error("no typeMap given and mass \(m.mass) of type \(type) matches no element")
            }
        }
        return names
    }
}
