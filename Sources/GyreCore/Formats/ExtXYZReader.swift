import Foundation

/// Reads an extxyz trajectory one frame at a time: memory holds one frame and
/// a 1 MB buffer, whatever the file size.
///
///     var reader = try ExtXYZReader(url: url)
///     while let frame = try reader.next() { … }
public struct ExtXYZReader {
    private let lines: LineReader
    /// The column plan of the previous frame: trajectories repeat one Properties string.
    private var lastPlan: (properties: String, plan: ColumnPlan)?

    public init(url: URL) throws {
        lines = try LineReader(url: url)
    }

    /// The next frame, or nil at the end of the file.
    public mutating func next() throws -> Frame? {
        var header: UnsafeBufferPointer<UInt8>
        repeat {
            guard let line = try lines.nextLine() else { return nil }
            header = line
        } while Text.isBlank(header)
        var tokens = Tokens(header)
        guard let countToken = tokens.next(), let natoms = NumberParser.int(countToken), natoms >= 0 else {
            throw lines.error("expected the number of atoms, found \(Text.show(header))", column: 1)
        }
        // Each atom line takes at least 7 bytes ("H 0 0 0"): refuse counts the file cannot hold before allocating.
        guard natoms <= (lines.remainingBytes + 1) / 8 + 1 else {
            throw lines.error("header claims \(natoms) atoms but only \(lines.remainingBytes) bytes remain in the file", column: 1)
        }
        let commentLine = try lines.requireLine("the extxyz comment line (Lattice=… Properties=…)")
        let comment: ExtXYZComment
        switch ExtXYZComment.parse(commentLine) {
        case .success(let c): comment = c
        case .failure(let e): throw lines.error("extxyz comment line: \(e.message)", column: e.column)
        }
        let info = try FrameInfo(comment, lines: lines)
        let plan: ColumnPlan
        if let last = lastPlan, last.properties == info.properties {
            plan = last.plan
        } else {
            plan = try ColumnPlan(info.properties, lines: lines)
            lastPlan = (info.properties, plan)
        }

        var species: [String] = []
        species.reserveCapacity(natoms)
        var positions = [SIMD3<Double>](repeating: .zero, count: natoms)
        var forces: [SIMD3<Double>]? = plan.hasForces ? [SIMD3<Double>](repeating: .zero, count: natoms) : nil
        for a in 0..<natoms {
            let line = try lines.requireLine("atom line \(a + 1) of \(natoms)")
            var t = Tokens(line)
            var p = SIMD3<Double>.zero
            var f = SIMD3<Double>.zero
            var symbol: String?
            for action in plan.columns {
                switch action {
                case .position(let k), .force(let k):
                    let x: Double
                    switch t.nextDouble() {
                    case .number(let v) where v.isFinite: x = v
                    case .end:
                        throw lines.error("atom line has too few columns: Properties needs \(plan.columns.count)", column: t.lastColumn)
                    case .number(let v):
                        throw lines.error("expected a finite \(action.name), found \(v)", column: t.lastColumn)
                    case .invalid(let tok):
                        throw lines.error("expected a finite \(action.name), found \(Text.show(tok))", column: t.lastColumn)
                    }
                    if case .position = action { p[k] = x } else { f[k] = x }
                    continue
                default:
                    break
                }
                guard let tok = t.next() else {
                    throw lines.error("atom line has too few columns: Properties needs \(plan.columns.count)", column: t.lastColumn)
                }
                let column = t.lastColumn
                switch action {
                case .species:
                    guard let s = Text.string(tok) else { throw lines.error("species is not valid UTF-8", column: column) }
                    symbol = s
                case .atomicNumber:
                    guard let z = NumberParser.int(tok), let e = Element.withNumber(z) else {
                        throw lines.error("expected an atomic number, found \(Text.show(tok))", column: column)
                    }
                    symbol = e.symbol
                case .position, .force, .skip:
                    break
                }
            }
            if t.next() != nil {
                throw lines.error("atom line has more columns than Properties declares (\(plan.columns.count))", column: t.column)
            }
            guard let symbol else { throw lines.error("atom line has no species") }
            species.append(symbol)
            positions[a] = p
            forces?[a] = f
        }
        return Frame(species: species, positions: positions, cell: info.cell, energy: info.energy,
                     forces: forces, virial: info.virial)
    }
}

/// The per-frame values an extxyz comment line carries, checked.
private struct FrameInfo {
    var cell: Cell?
    var energy: Double?
    var virial: Matrix3?
    var properties: String

    init(_ comment: ExtXYZComment, lines: LineReader) throws {
        func numbers(_ key: String) throws -> [Double]? {
            guard let raw = comment[key] else { return nil }
            var out: [Double] = []
            for part in raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                guard let v = Double(part), v.isFinite else {
                    throw lines.error("\(key)= holds \"\(part)\", expected finite numbers")
                }
                out.append(v)
            }
            return out
        }
        properties = comment["Properties"] ?? "species:S:1:pos:R:3"
        var pbc = Periodicity.all
        if let raw = comment["pbc"] {
            let flags = raw.split(whereSeparator: { $0 == " " || $0 == "," })
            var parsed: [Bool] = []
            for f in flags {
                switch f.lowercased() {
                case "t", "true", "1": parsed.append(true)
                case "f", "false", "0": parsed.append(false)
                default: throw lines.error("pbc= holds \"\(f)\", expected T or F")
                }
            }
            guard parsed.count == 3 else { throw lines.error("pbc= needs 3 flags, found \(parsed.count)") }
            pbc = Periodicity(parsed[0], parsed[1], parsed[2])
        }
        if let lattice = try numbers("Lattice") {
            guard let m = Matrix3(rowMajor: lattice) else {
                throw lines.error("Lattice= needs 9 numbers, found \(lattice.count)")
            }
            cell = Cell(m, pbc: pbc)
        } else if pbc != .none && comment["pbc"] != nil {
            throw lines.error("pbc= marks a periodic direction but there is no Lattice=")
        }
        if let raw = comment["energy"] {
            guard let e = Double(raw), e.isFinite else { throw lines.error("energy= holds \"\(raw)\", expected a finite number") }
            energy = e
        }
        if let v = try numbers("virial") {
            virial = try Self.tensor(v, key: "virial", lines: lines)
        } else if let s = try numbers("stress") {
            let sigma = try Self.tensor(s, key: "stress", lines: lines)
            guard let cell else { throw lines.error("stress= needs a Lattice= to turn into a virial") }
            // ASE's stress is eV/Å³; the virial is W = −σ·V.
            virial = (-abs(cell.volume)) * sigma
        }
    }

    /// A 3×3 tensor from 9 numbers or 6 in Voigt order (xx yy zz yz xz xy). ASE
    /// writes the 9 numbers of `virial` and `stress` column-major (Fortran order).
    static func tensor(_ v: [Double], key: String, lines: LineReader) throws -> Matrix3 {
        if let m = Matrix3(rowMajor: v) { return m.transposed }
        guard v.count == 6 else { throw lines.error("\(key)= needs 9 or 6 (Voigt) numbers, found \(v.count)") }
        return Matrix3(SIMD3(v[0], v[5], v[4]), SIMD3(v[5], v[1], v[3]), SIMD3(v[4], v[3], v[2]))
    }
}

/// What to do with each column of an atom line, from `Properties=name:type:count:…`.
private struct ColumnPlan {
    enum Action {
        case species, atomicNumber, position(Int), force(Int), skip

        var name: String {
            if case .force = self { return "force component" }
            return "position coordinate"
        }
    }
    var columns: [Action] = []
    var hasForces = false

    init(_ properties: String, lines: LineReader) throws {
        let parts = properties.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count % 3 == 0, !parts.isEmpty else {
            throw lines.error("Properties=\(properties) is not a list of name:type:count triples")
        }
        var hasSpecies = false, hasPositions = false, hasZ = false
        for k in stride(from: 0, to: parts.count, by: 3) {
            let name = parts[k].lowercased()
            let type = parts[k + 1].uppercased()
            guard ["S", "R", "I", "L"].contains(type), let count = Int(parts[k + 2]), count >= 1, count <= 1000 else {
                throw lines.error("Properties=\(properties): bad triple \(parts[k]):\(parts[k + 1]):\(parts[k + 2])")
            }
            switch (name, type, count) {
            case ("species", "S", 1):
                hasSpecies = true
                columns.append(.species)
            case ("pos", "R", 3), ("positions", "R", 3):
                hasPositions = true
                columns += [.position(0), .position(1), .position(2)]
            case ("forces", "R", 3), ("force", "R", 3):
                hasForces = true
                columns += [.force(0), .force(1), .force(2)]
            case ("z", "I", 1) where !hasSpecies:
                hasZ = true
                columns.append(.atomicNumber)
            default:
                columns += Array(repeating: .skip, count: count)
            }
        }
        guard hasPositions else { throw lines.error("Properties=\(properties) has no pos:R:3") }
        guard hasSpecies || hasZ else { throw lines.error("Properties=\(properties) has no species:S:1") }
        if hasSpecies && hasZ {
            // Species wins; Z (declared before species) is then only skipped.
            columns = columns.map { if case .atomicNumber = $0 { return .skip } else { return $0 } }
        }
    }
}
