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
        let lines = OutputText.lines(text)
        var nelm: Int?
        var maxIteration = 0
        var reachedNELM = false
        var finished = false
        var titles: [String] = [], potcars: [String] = []
        var counts: [Int] = []
        var unreadable: String?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.has("Iteration"), line.has("("), line.begins("---") {
                // `---- Iteration    1(   8)  ----`: ionic step, then electronic step.
                let inner = line.split(separator: "(").dropFirst().first?.split(separator: ")").first
                if let n = inner.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) { maxIteration = n }
            } else if line.has("free  energy   TOTEN") {
                if let v = line.split(separator: "=").last?.split(whereSeparator: \.isWhitespace).first.flatMap({ Double($0) }) {
                    energy = v
                } else {
                    unreadable = String(line)
                }
                // One ionic step ends here: did its electronic loop hit NELM?
                if let nelm, maxIteration >= nelm { reachedNELM = true }
                maxIteration = 0
            } else if line.has("TOTAL-FORCE"), !line.has("ML") {
                forces = []
                printedPositions = []
                var j = i + 2
                while j < lines.count, !lines[j].begins(" ---") {
                    let t = lines[j].split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
                    guard t.count == 6 else { unreadable = String(lines[j]); break }
                    printedPositions.append(SIMD3(t[0], t[1], t[2]))
                    forces.append(SIMD3(t[3], t[4], t[5]))
                    j += 1
                }
                i = j
                continue
            } else if line.has(" in kB ") {
                let t = line.split(whereSeparator: \.isWhitespace).dropFirst(2).compactMap { Double($0) }
                if t.count == 6 {
                    stress = Matrix3(SIMD3(t[0], t[3], t[5]), SIMD3(t[3], t[1], t[4]), SIMD3(t[5], t[4], t[2]))
                } else {
                    unreadable = String(line)
                }
            } else if line.has("VOLUME and BASIS") {
                // Lattice rows are 5 lines below; VASP may glue numbers as `4.6-0.1`.
                let rows = (5..<8).compactMap { k in
                    i + k < lines.count ? Self.numbers(lines[i + k].replacingOccurrences(of: "-", with: " -"), count: 3) : nil
                }
                if rows.count == 3 { cell = Matrix3(rows[0], rows[1], rows[2]) }
            } else if line.has("TITEL") {
                if let t = line.split(whereSeparator: \.isWhitespace).dropFirst(3).first { titles.append(Self.element(t)) }
            } else if line.has("POTCAR:") {
                if let t = line.split(whereSeparator: \.isWhitespace).dropFirst(2).first { potcars.append(Self.element(t)) }
            } else if nelm == nil, line.has("NELM"), let r = line.range(of: "NELM") {
                let rest = line[r.upperBound...].drop { $0 == " " || $0 == "=" }
                nelm = Int(rest.prefix { $0.isNumber })
            } else if line.has("ions per type"), counts.isEmpty {
                counts = line.split(separator: "=").last?.split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
            } else if line.has("General timing and accounting") {
                finished = true
            }
            i += 1
        }
        // POTCAR: lines come twice (header and summary); TITEL once per species.
        let names = titles.isEmpty ? Array(potcars.prefix(potcars.count / 2)) : titles
        if names.count >= counts.count {
            species = zip(names, counts).flatMap { Array(repeating: $0, count: $1) }
        }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            problem = "empty output"
        } else if reachedNELM {
            problem = "SCF not converged: the electronic loop reached NELM = \(nelm ?? 0)"
        } else if !finished {
            problem = "job killed mid-way: OUTCAR ends before \"General timing and accounting\""
        } else if let unreadable {
            problem = "unreadable line: \(unreadable.trimmingCharacters(in: .whitespaces))"
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
    static func element(_ token: Substring) -> String {
        String(token.split(separator: "_").first ?? token)
    }

    static func numbers(_ line: String, count: Int) -> SIMD3<Double>? {
        let t = line.split(whereSeparator: \.isWhitespace).prefix(count).compactMap { Double($0) }
        return t.count == 3 ? SIMD3(t[0], t[1], t[2]) : nil
    }
}
