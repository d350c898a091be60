import Foundation

/// What a CP2K output says: energy (Hartree), forces (Hartree/Bohr), stress
/// (GPa), the cell and coordinates it printed, and whether the SCF converged
/// and the program ended. Reads CP2K 2023's layout and 2025's `FORCES|` lines.
public struct CP2KOutput: Sendable {
    public var energy: Double?
    public var forces: [SIMD3<Double>] = []
    public var stress: Matrix3?
    /// `CELL| Vector` rows as printed (3 decimals: enough for dpdata, not for Gyre's virials).
    public var printedCell: Matrix3?
    /// `ATOMIC COORDINATES IN angstrom`: element and position per atom.
    public var printedAtoms: [(String, SIMD3<Double>)] = []
    /// Why the run is not acceptable, nil when it converged and ended.
    public var problem: String?

    public init(_ text: String) {
        let lines = OutputText.lines(text)
        var converged = false, notConverged = false, ended = false
        var error: String?, unreadable: String?
        var cellRows: [SIMD3<Double>] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.has("SCF run converged") {
                converged = true
            } else if line.has("SCF run NOT converged") {
                notConverged = true
            } else if line.has("PROGRAM ENDED AT") {
                ended = true
            } else if line.has("ENERGY| Total FORCE_EVAL") {
                if let value = line.split(whereSeparator: \.isWhitespace).last.flatMap({ Double($0) }) {
                    energy = value
                } else {
                    unreadable = String(line)
                }
            } else if line.has("CELL| Vector"), cellRows.count < 3, let v = Self.vector(line, from: 4) {
                cellRows.append(v)
            } else if line.has("ATOMIC COORDINATES IN angstrom") || line.has("ATOMIC COORDINATES IN ANGSTROM") {
                printedAtoms = []
                var j = i + 1
                while j < lines.count, !lines[j].has("Atom  Kind  Element"), !lines[j].has("Atom Kind Element") { j += 1 }
                j += 1
                while j < lines.count, lines[j].allSatisfy(\.isWhitespace) { j += 1 }
                while j < lines.count, !lines[j].allSatisfy(\.isWhitespace) {
                    let t = lines[j].split(whereSeparator: \.isWhitespace)
                    guard t.count >= 7, let v = Self.vector(lines[j], from: 4) else { break }
                    printedAtoms.append((String(t[2]), v))
                    j += 1
                }
                i = j
                continue
            } else if line.has("ATOMIC FORCES in") {
                // The last block wins: a geometry run prints one per step.
                forces = []
                var j = i + 1
                while j < lines.count, !lines[j].has("SUM OF ATOMIC FORCES") {
                    let l = lines[j]
                    let t = l.split(whereSeparator: \.isWhitespace)
                    if t.count >= 6, Int(t[0]) != nil {
                        guard let f = Self.vector(l, from: 3) else { unreadable = String(l); break }
                        forces.append(f)
                    }
                    j += 1
                }
                i = j
                continue
            } else if line.begins(" FORCES|"), let t = Optional(line.split(whereSeparator: \.isWhitespace)), t.count >= 5, Int(t[1]) != nil {
                // CP2K 2025: ` FORCES| 1 fx fy fz |f|`.
                if let f = Self.vector(line, from: 2) { forces.append(f) } else { unreadable = String(line) }
            } else if line.has("STRESS| Analytical stress tensor [GPa]") {
                // CP2K 2023+: `STRESS|      x   sxx sxy sxz`, rows x, y, z after a header row.
                let rows = lines.dropFirst(i + 1).prefix(4).filter {
                    let t = $0.split(whereSeparator: \.isWhitespace)
                    return t.count >= 5 && ["x", "y", "z"].contains(t[1])
                }
                let values = rows.compactMap { Self.vector($0, from: 2) }
                if values.count == 3 { stress = Matrix3(values[0], values[1], values[2]) } else { unreadable = String(line) }
            } else if line.has("STRESS TENSOR [GPa") {
                // Header, blank, `X Y Z`, then three rows `X sxx sxy sxz`.
                let rows = lines.dropFirst(i + 1).filter { !$0.allSatisfy(\.isWhitespace) }.dropFirst().prefix(3)
                let values = rows.compactMap { Self.vector($0, from: 1) }
                if values.count == 3 { stress = Matrix3(values[0], values[1], values[2]) } else { unreadable = String(line) }
            } else if error == nil, line.has("[ABORT]") || line.has("CP2K| ERROR") {
                // The message sits in the box below the banner, between `*` borders.
                let box = CharacterSet(charactersIn: " *|\\_/\t")
                let message = lines.dropFirst(i + 1).prefix(6)
                    .map { $0.trimmingCharacters(in: box) }.filter { !$0.isEmpty }
                error = message.isEmpty ? "[ABORT]" : message.joined(separator: " ")
            }
            i += 1
        }
        if cellRows.count == 3 { printedCell = Matrix3(cellRows[0], cellRows[1], cellRows[2]) }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            problem = "empty output"
        } else if let error {
            problem = "cp2k stopped: \(error)"
        } else if notConverged {
            problem = "SCF not converged (\"SCF run NOT converged\")"
        } else if !ended {
            problem = "job killed mid-way: the output ends before PROGRAM ENDED"
        } else if !converged {
            problem = "SCF not converged: no \"SCF run converged\""
        } else if let unreadable {
            problem = "unreadable line: \(unreadable.trimmingCharacters(in: .whitespaces))"
        } else if energy == nil {
            problem = "no final energy (\"ENERGY| Total FORCE_EVAL\")"
        } else if forces.isEmpty {
            problem = "no forces: the template must print &FORCES ON"
        }
    }

    /// Energy (eV), forces (eV/Å), virial (eV, W = σ·V in CP2K's sign, as dpdata) for `natoms` atoms.
    public func labels(natoms: Int, volume: Double?) -> Result<(Double, [SIMD3<Double>], Matrix3?), LabelRejection> {
        if let problem { return .failure(LabelRejection(problem)) }
        guard let energy else { return .failure(LabelRejection("no final energy")) }
        guard forces.count == natoms else { return .failure(LabelRejection("\(forces.count) forces for \(natoms) atoms")) }
        var virial: Matrix3?
        if let stress, let volume { virial = (DFTUnits.gpaInEVPerCubicAngstrom * abs(volume)) * stress }
        return .success((Units.hartree * energy, forces.map { DFTUnits.hartreePerBohr * $0 }, virial))
    }

    /// The frame as the output alone describes it (printed cell and coordinates),
    /// the way dpdata reads CP2K: for comparing readers, not for training data.
    public func printedFrame() -> Result<Frame, LabelRejection> {
        let cell = printedCell.map { Cell($0) }
        return labels(natoms: printedAtoms.count, volume: cell?.volume).map { energy, forces, virial in
            Frame(species: printedAtoms.map(\.0), positions: printedAtoms.map(\.1), cell: cell,
                  energy: energy, forces: forces, virial: virial)
        }
    }

    static func vector(_ line: Substring, from: Int) -> SIMD3<Double>? {
        let t = line.split(whereSeparator: \.isWhitespace)
        guard t.count >= from + 3, let x = Double(t[from]), let y = Double(t[from + 1]), let z = Double(t[from + 2]) else { return nil }
        return SIMD3(x, y, z)
    }
}
