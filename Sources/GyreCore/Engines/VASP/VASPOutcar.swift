import Foundation

/// What an OUTCAR says about its last ionic step: TOTEN (eV, the energy
/// dpdata takes), TOTAL-FORCE (eV/Å) with the printed positions, the stress
/// `in kB`, the cell, the species — and whether the electronic loop converged
/// (it did not if it ran NELM iterations) and the job ended.
public struct VASPOutcar: Sendable {
    public var energy: Double?
    public var forces: [SIMD3<Double>] = []
    public var printedPositions: [SIMD3<Double>] = []
    /// The `in kB` row as a symmetric tensor (XX YY ZZ XY YZ ZX).
    public var stress: Matrix3?
    public var cell: Matrix3?
    /// Species per atom from TITEL (or POTCAR:) lines and `ions per type`.
    public var species: [String] = []
    public var problem: String?

    /// 1 kB in eV/Å³ as dpdata's OUTCAR reader has it (e = 1.602176621e-19 C), so virials equal dpdata's.
    static let kilobarInEVPerCubicAngstrom = 1e3 / 1.602176621e6

    public init(_ text: String) {
        self = OutputScan.withBytes(of: text) { VASPOutcar(scanning: $0) }
    }

    /// Reads an OUTCAR file with one read.
    public init(contentsOf url: URL) throws {
        guard let outcar = try OutputScan.withFile(url.path, VASPOutcar.init(scanning:)) else {
            throw GyreError(.io, "no such file", at: SourceLocation(file: url.path))
        }
        self = outcar
    }

    private static let markers: [StaticString] = [
        "Iteration", "free  energy   TOTEN", "TOTAL-FORCE", " in kB ", "VOLUME and BASIS", "TITEL", "POTCAR:", "NELM",
        "ions per type", "General timing and accounting",
    ]

    init(scanning out: OutputScan) {
        var nelm: Int?
        var maxIteration = 0
        var reachedNELM = false
        var finished = false
        var titles: [String] = [], potcars: [String] = []
        var counts: [Int] = []
        var unreadable: String?
        var handled = -1  // start of the last line a marker was handled on, or of the force block's end
        for hit in out.lines(containing: Self.markers) where hit.line.lowerBound > handled {
            let line = hit.line
            switch hit.marker {
            case 0:
                // `---- Iteration    1(   8)  ----`: ionic step, then electronic step.
                guard out.line(line, begins: "---"), let open = out[line].firstIndex(of: UInt8(ascii: "(")) else { continue }
                let inner = out[line][(open + 1)...].prefix { $0 != UInt8(ascii: ")") }
                if let n = NumberParser.int(Self.trimmed(UnsafeBufferPointer(rebasing: inner))) { maxIteration = n }
            case 1:
                let afterLastEquals = (out[line].lastIndex(of: UInt8(ascii: "=")).map { line.lowerBound + $0 + 1 } ?? line.lowerBound)
                if let v = out.token(afterLastEquals..<line.upperBound, 0).flatMap(NumberParser.double) {
                    energy = v
                } else {
                    unreadable = out.text(line)
                }
                // One ionic step ends here: did its electronic loop hit NELM?
                if let nelm, maxIteration >= nelm { reachedNELM = true }
                maxIteration = 0
            case 2:
                guard !out.line(line, has: "ML") else { continue }
                forces = []
                printedPositions = []
                // A dashed line, then `x y z fx fy fz` rows up to the next dashed line.
                var next = out.line(after: line).flatMap(out.line(after:))
                while let l = next, !out.line(l, begins: " ---") {
                    let t = out.numbers(l)
                    guard t.count == 6 else { unreadable = out.text(l); break }
                    printedPositions.append(SIMD3(t[0], t[1], t[2]))
                    forces.append(SIMD3(t[3], t[4], t[5]))
                    handled = l.lowerBound
                    next = out.line(after: l)
                }
            case 3:
                let t = out.numbers(line, dropFirst: 2)
                if t.count == 6 {
                    stress = Matrix3(SIMD3(t[0], t[3], t[5]), SIMD3(t[3], t[1], t[4]), SIMD3(t[5], t[4], t[2]))
                } else {
                    unreadable = out.text(line)
                }
            case 4:
                // Lattice rows are 5 lines below; VASP may glue numbers as `4.6-0.1`.
                var rows: [SIMD3<Double>] = []
                var row: Range<Int>? = line
                for k in 1...7 {
                    row = row.flatMap(out.line(after:))
                    guard let r = row else { break }
                    if k >= 5, let v = Self.vectorSplittingGluedNumbers(out[r]) { rows.append(v) }
                }
                if rows.count == 3 { cell = Matrix3(rows[0], rows[1], rows[2]) }
            case 5:
                if let t = out.token(line, 3) { titles.append(Self.element(t)) }
            case 6:
                if let t = out.token(line, 2) { potcars.append(Self.element(t)) }
            case 7:
                guard nelm == nil, let at = out.find("NELM", from: line.lowerBound, to: line.upperBound) else { continue }
                let rest = out[(at + 4)..<line.upperBound].drop { $0 == 32 || $0 == UInt8(ascii: "=") }
                nelm = NumberParser.int(UnsafeBufferPointer(rebasing: rest.prefix { $0 &- 48 < 10 }))
            case 8:
                guard counts.isEmpty else { continue }
                let afterLastEquals = (out[line].lastIndex(of: UInt8(ascii: "=")).map { line.lowerBound + $0 + 1 } ?? line.lowerBound)
                var t = Tokens(out[afterLastEquals..<line.upperBound])
                while let w = t.next() { if let n = NumberParser.int(w) { counts.append(n) } }
            default:
                finished = true
            }
            handled = max(handled, line.lowerBound)
        }
        // POTCAR: lines come twice (header and summary); TITEL once per species.
        let names = titles.isEmpty ? Array(potcars.prefix(potcars.count / 2)) : titles
        if names.count >= counts.count {
            species = zip(names, counts).flatMap { Array(repeating: $0, count: $1) }
        }
        if out.isBlank {
            problem = "empty output"
        } else if reachedNELM {
            problem = "SCF not converged: the electronic loop reached NELM = \(nelm ?? 0)"
        } else if !finished {
            problem = "job killed mid-way: OUTCAR ends before \"General timing and accounting\""
        } else if let unreadable {
            problem = "unreadable line: \(unreadable)"
        } else if energy == nil {
            problem = "no energy (\"free  energy   TOTEN\")"
        } else if forces.isEmpty {
            problem = "no TOTAL-FORCE block"
        }
    }

    /// Energy, forces and virial (W = σ_kB·V: VASP prints the stress with the
    /// sign that makes compression positive, as dpdata reads it) for `natoms` atoms.
    public func labels(natoms: Int, volume: Double?) -> Result<(Double, [SIMD3<Double>], Matrix3?), LabelRejection> {
        if let problem { return .failure(LabelRejection(problem)) }
        guard let energy else { return .failure(LabelRejection("no energy")) }
        guard forces.count == natoms else { return .failure(LabelRejection("\(forces.count) forces for \(natoms) atoms")) }
        var virial: Matrix3?
        if let stress, let volume { virial = (Self.kilobarInEVPerCubicAngstrom * abs(volume)) * stress }
        return .success((energy, forces, virial))
    }

    /// The frame as the OUTCAR alone describes it (printed positions and cell), as dpdata reads it.
    public func printedFrame() -> Result<Frame, LabelRejection> {
        let c = cell.map { Cell($0) }
        return labels(natoms: printedPositions.count, volume: c?.volume).flatMap { energy, forces, virial in
            guard species.count == printedPositions.count else {
                return .failure(LabelRejection("species for \(species.count) atoms, \(printedPositions.count) positions"))
            }
            return .success(Frame(species: species, positions: printedPositions, cell: c, energy: energy, forces: forces, virial: virial))
        }
    }

    /// `Sn_d` → `Sn`; `PAW_PBE Al 04Jan2001` gives `Al` at the token read.
    static func element(_ token: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: token.prefix { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    }

    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let first = b.firstIndex(where: { !Tokens.isSpace($0) }), let last = b.lastIndex(where: { !Tokens.isSpace($0) })
        else { return UnsafeBufferPointer(rebasing: b[0..<0]) }
        return UnsafeBufferPointer(rebasing: b[first...last])
    }

    /// The first three tokens of a lattice row as numbers, after putting a space
    /// before every `-`: VASP glues columns as `4.6-0.1`.
    static func vectorSplittingGluedNumbers(_ line: UnsafeBufferPointer<UInt8>) -> SIMD3<Double>? {
        var spaced: [UInt8] = []
        spaced.reserveCapacity(line.count + 16)
        for c in line {
            if c == UInt8(ascii: "-") { spaced.append(32) }
            spaced.append(c)
        }
        return spaced.withUnsafeBufferPointer { b -> SIMD3<Double>? in
            var t = Tokens(b)
            guard let x = t.next().flatMap(NumberParser.double), let y = t.next().flatMap(NumberParser.double),
                  let z = t.next().flatMap(NumberParser.double) else { return nil }
            return SIMD3(x, y, z)
        }
    }
}
