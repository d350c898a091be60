import Foundation

/// One snapshot of a LAMMPS dump: the timestep and the atoms.
public struct LAMMPSDumpSnapshot: Sendable {
    public var timestep: Int
    public var frame: Frame

    public init(timestep: Int, frame: Frame) {
        self.timestep = timestep
        self.frame = frame
    }
}

/// LAMMPS `dump custom` text files: `ITEM: TIMESTEP`, `ITEM: NUMBER OF ATOMS`,
/// `ITEM: BOX BOUNDS [xy xz yz] pp pp pp`, `ITEM: ATOMS <columns>`.
public enum LAMMPSDump {
    /// All frames of the dump. Types map to elements through `typeMap`
    /// (type i+1 = typeMap[i]) or an `element` column.
    public static func read(_ url: URL, typeMap: [String]? = nil) throws -> [Frame] {
        var reader = try LAMMPSDumpReader(url: url, typeMap: typeMap)
        var frames: [Frame] = []
        while let s = try reader.next() { frames.append(s.frame) }
        return frames
    }
}

/// Reads a LAMMPS dump one snapshot at a time, with memory for one snapshot.
///
/// Columns may come in any order: `id type element x y z | xs ys zs | xu yu zu
/// | xsu ysu zsu fx fy fz …` (others are read past). Scaled coordinates are
/// turned into Cartesian ones with the box origin added, so they match what
/// `x y z` would have given. Atoms come out sorted by id.
public struct LAMMPSDumpReader {
    private let lines: LineReader
    private let typeMap: [String]?

    public init(url: URL, typeMap: [String]? = nil) throws {
        lines = try LineReader(url: url)
        self.typeMap = typeMap
    }

    private enum Column {
        case id, type, element, cart(Int), scaled(Int), force(Int), skip
    }

    /// Reads past the next snapshot without parsing its atoms (a trajectory
    /// reader wanting only some frames); its timestep, or nil at the end of the file.
    public mutating func skip() throws -> Int? {
        guard let (timestep, natoms) = try readHead() else { return nil }
        _ = try readBox()
        let line = try lines.requireLine("ITEM: ATOMS")
        guard Text.hasPrefix(line, "ITEM: ATOMS") else { throw lines.error("expected \"ITEM: ATOMS …\", found \(Text.show(line))") }
        for a in 0..<natoms { _ = try lines.requireLine("atom line \(a + 1) of \(natoms)") }
        return timestep
    }

    /// The timestep and atom count of the next snapshot, or nil at the end of the file.
    private func readHead() throws -> (timestep: Int, natoms: Int)? {
        var first: UnsafeBufferPointer<UInt8>
        repeat {
            guard let l = try lines.nextLine() else { return nil }
            first = l
        } while Text.isBlank(first)
        guard Text.hasPrefix(first, "ITEM: TIMESTEP") else {
            throw lines.error("expected \"ITEM: TIMESTEP\", found \(Text.show(first))")
        }
        let timestep = try singleInt("the timestep")
        var line = try lines.requireLine("ITEM: NUMBER OF ATOMS")
        // LAMMPS may write ITEM: TIME or ITEM: UNITS between the timestep and the atom count.
        while Text.hasPrefix(line, "ITEM: TIME") || Text.hasPrefix(line, "ITEM: UNITS") {
            _ = try lines.requireLine("the value of \(Text.show(line))")
            line = try lines.requireLine("ITEM: NUMBER OF ATOMS")
        }
        guard Text.hasPrefix(line, "ITEM: NUMBER OF ATOMS") else {
            throw lines.error("expected \"ITEM: NUMBER OF ATOMS\", found \(Text.show(line))")
        }
        let natoms = try singleInt("the number of atoms")
        guard natoms >= 0, natoms <= lines.remainingBytes / 8 + 1 else {
            throw lines.error("\(natoms) atoms claimed but only \(lines.remainingBytes) bytes remain in the file")
        }
        return (timestep, natoms)
    }

    /// The next snapshot, or nil at the end of the file.
    public mutating func next() throws -> LAMMPSDumpSnapshot? {
        guard let (timestep, natoms) = try readHead() else { return nil }
        let (box, pbc) = try readBox()
        let line = try lines.requireLine("ITEM: ATOMS")
        guard Text.hasPrefix(line, "ITEM: ATOMS") else { throw lines.error("expected \"ITEM: ATOMS …\", found \(Text.show(line))") }
        var header = Tokens(line)
        _ = header.next()
        _ = header.next()
        guard let names = header.remainingStrings() else { throw lines.error("ITEM: ATOMS line is not valid UTF-8") }
        var columns: [Column] = []
        for name in names {
            switch name {
            case "id": columns.append(.id)
            case "type": columns.append(.type)
            case "element": columns.append(.element)
            case "x", "xu": columns.append(.cart(0))
            case "y", "yu": columns.append(.cart(1))
            case "z", "zu": columns.append(.cart(2))
            case "xs", "xsu": columns.append(.scaled(0))
            case "ys", "ysu": columns.append(.scaled(1))
            case "zs", "zsu": columns.append(.scaled(2))
            case "fx": columns.append(.force(0))
            case "fy": columns.append(.force(1))
            case "fz": columns.append(.force(2))
            default: columns.append(.skip)
            }
        }
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted { throw lines.error("column \(n) appears twice") }
        let hasCart = (0..<3).map { k in columns.contains { if case .cart(k) = $0 { true } else { false } } }
        let hasScaled = (0..<3).map { k in columns.contains { if case .scaled(k) = $0 { true } else { false } } }
        let forceCount = columns.filter { if case .force = $0 { true } else { false } }.count
        guard (0..<3).allSatisfy({ hasCart[$0] != hasScaled[$0] }) else {
            throw lines.error("ITEM: ATOMS needs each of x y z once, as x/xu or xs/xsu")
        }
        guard forceCount == 0 || forceCount == 3 else { throw lines.error("ITEM: ATOMS has only some of fx fy fz") }
        let hasElement = names.contains("element")
        guard hasElement || (names.contains("type") && typeMap != nil) else {
            throw lines.error("no element column and no typeMap: cannot tell the species")
        }
        let hasID = names.contains("id")
        let matrix = box.matrix

        var ids = [Int](repeating: 0, count: natoms)
        var species = [String](repeating: "", count: natoms)
        var positions = [SIMD3<Double>](repeating: .zero, count: natoms)
        var forces: [SIMD3<Double>]? = forceCount == 3 ? [SIMD3<Double>](repeating: .zero, count: natoms) : nil
        for a in 0..<natoms {
            let l = try lines.requireLine("atom line \(a + 1) of \(natoms)")
            var t = Tokens(l)
            var cart = SIMD3<Double>.zero, frac = SIMD3<Double>.zero, f = SIMD3<Double>.zero
            var element: String?
            var type = 0
            for c in columns {
                guard let tok = t.next() else {
                    throw lines.error("atom line has too few columns: ITEM: ATOMS lists \(columns.count)", column: t.lastColumn)
                }
                let column = t.lastColumn
                switch c {
                case .id:
                    guard let v = NumberParser.int(tok) else { throw lines.error("expected an atom id, found \(Text.show(tok))", column: column) }
                    ids[a] = v
                case .type:
                    guard let v = NumberParser.int(tok) else { throw lines.error("expected an atom type, found \(Text.show(tok))", column: column) }
                    type = v
                case .element:
                    guard let s = Text.string(tok) else { throw lines.error("element is not valid UTF-8", column: column) }
                    element = s
                case .cart(let k), .scaled(let k), .force(let k):
                    guard let v = NumberParser.double(tok), v.isFinite else {
                        throw lines.error("expected a finite number, found \(Text.show(tok))", column: column)
                    }
                    if case .cart = c { cart[k] = v } else if case .scaled = c { frac[k] = v } else { f[k] = v }
                case .skip:
                    break
                }
            }
            if t.next() != nil { throw lines.error("atom line has more columns than ITEM: ATOMS lists (\(columns.count))") }
            if hasElement, let element {
                species[a] = element
            } else if let typeMap, type >= 1, type <= typeMap.count {
                species[a] = typeMap[type - 1]
            } else {
                throw lines.error("atom type \(type) is outside the typeMap (\(typeMap?.count ?? 0) types)")
            }
            // Scaled coordinates are fractions of the box measured from its origin.
            let fromScaled = matrix.leftMultiply(frac) + box.lo
            positions[a] = SIMD3(hasCart[0] ? cart.x : fromScaled.x, hasCart[1] ? cart.y : fromScaled.y,
                                 hasCart[2] ? cart.z : fromScaled.z)
            forces?[a] = f
            if !hasID { ids[a] = a + 1 }
        }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        for k in order.indices.dropFirst() where ids[order[k]] == ids[order[k - 1]] {
            throw lines.error("atom id \(ids[order[k]]) appears twice in timestep \(timestep)")
        }
        let frame = Frame(species: order.map { species[$0] }, positions: order.map { positions[$0] },
                          cell: Cell(matrix, pbc: pbc), forces: forces.map { f in order.map { f[$0] } })
        return LAMMPSDumpSnapshot(timestep: timestep, frame: frame)
    }

    private func singleInt(_ what: String) throws -> Int {
        let l = try lines.requireLine(what)
        var t = Tokens(l)
        guard let tok = t.next(), let v = NumberParser.int(tok), t.next() == nil else {
            throw lines.error("expected \(what) (an integer), found \(Text.show(l))")
        }
        return v
    }

    /// Reads `ITEM: BOX BOUNDS` and its three lines. For a triclinic box LAMMPS
    /// writes the bounding box of the tilted cell, so lo/hi are recovered as
    /// xlo = xlo_bound − min(0, xy, xz, xy+xz), xhi = xhi_bound − max(0, xy, xz, xy+xz),
    /// ylo = ylo_bound − min(0, yz), yhi = yhi_bound − max(0, yz).
    private func readBox() throws -> (LAMMPSBox, Periodicity) {
        let line = try lines.requireLine("ITEM: BOX BOUNDS")
        guard Text.hasPrefix(line, "ITEM: BOX BOUNDS") else {
            throw lines.error("expected \"ITEM: BOX BOUNDS\", found \(Text.show(line))")
        }
        var t = Tokens(line)
        _ = t.next(); _ = t.next(); _ = t.next()
        guard let words = t.remainingStrings() else { throw lines.error("box line is not valid UTF-8") }
        let triclinic = words.starts(with: ["xy", "xz", "yz"])
        let flags = triclinic ? Array(words.dropFirst(3)) : words
        guard !words.contains("abc") else { throw lines.error("general triclinic dumps (abc origin) are not supported") }
        var periodic = [true, true, true]
        if flags.count == 3 { periodic = flags.map { $0 == "pp" } }
        var lo = SIMD3<Double>.zero, hi = SIMD3<Double>.zero, tilt = SIMD3<Double>.zero
        for k in 0..<3 {
            let l = try lines.requireLine("box bounds line \(k + 1)")
            var bt = Tokens(l)
            var v: [Double] = []
            while let tok = bt.next() {
                guard let x = NumberParser.double(tok), x.isFinite else { throw lines.error("expected a finite box bound, found \(Text.show(tok))") }
                v.append(x)
            }
            guard v.count == (triclinic ? 3 : 2) else {
                throw lines.error("box bounds line needs \(triclinic ? 3 : 2) numbers, found \(v.count)")
            }
            lo[k] = v[0]
            hi[k] = v[1]
            if triclinic { tilt[k] = v[2] }
        }
        if triclinic {
            let (xy, xz, yz) = (tilt.x, tilt.y, tilt.z)
            lo.x -= min(0, xy, xz, xy + xz)
            hi.x -= max(0, xy, xz, xy + xz)
            lo.y -= min(0, yz)
            hi.y -= max(0, yz)
        }
        return (LAMMPSBox(lo: lo, hi: hi, tilt: tilt), Periodicity(periodic[0], periodic[1], periodic[2]))
    }
}
