import Foundation

/// What a pw.x output (stdout) says: the final total energy, the forces, the
/// stress, and whether the run finished with a converged SCF. Units as
/// printed (Ry, Ry/Bohr, kbar); `labels(for:)` converts to eV, eV/Å, eV.
public struct QEOutput: Sendable {
    /// Last `!    total energy`, Ry.
    public var energy: Double?
    /// The first `Forces acting on atoms` block, Ry/Bohr.
    public var forces: [SIMD3<Double>]
    /// The `total   stress` block's kbar columns (the ones dpdata reads).
    public var stress: Matrix3?
    /// Why the run is not acceptable, nil when it finished with a converged SCF.
    public var problem: String?

    /// Reads pw.x's stdout. Never throws: a malformed output is a `problem`.
    public init(_ text: String) {
        energy = nil
        forces = []
        stress = nil
        problem = nil
        let lines = OutputText.lines(text)
        var converged = false
        var notConverged: String?
        var jobDone = false
        var error: String?
        var unreadable: String?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.begins("!    total energy") {
                // `!    total energy              =     -15.83871598 Ry`
                if let value = Self.number(after: "=", in: line) { energy = value } else { unreadable = String(line) }
            } else if line.has("Forces acting on atoms"), forces.isEmpty {
                var j = i + 1
                while j < lines.count {
                    let l = lines[j]
                    if l.has("force =") {
                        guard let f = Self.vector(after: "=", in: l) else { unreadable = String(l); break }
                        forces.append(f)
                    } else if !l.allSatisfy(\.isWhitespace) || !forces.isEmpty {
                        break
                    }
                    j += 1
                }
                i = j
                continue
            } else if line.has("total   stress") {
                // Three rows: Ry/Bohr³ columns 0–2, kbar columns 3–5.
                let rows = lines.dropFirst(i + 1).prefix(3).map { Self.numbers($0, from: 3) }
                if rows.count == 3, let m = Matrix3(rowMajor: rows.compactMap { $0 }.flatMap { $0 }) {
                    stress = m
                } else {
                    unreadable = String(line)
                }
            } else if line.has("convergence has been achieved") {
                converged = true
            } else if line.has("convergence NOT achieved") {
                notConverged = line.trimmingCharacters(in: .whitespaces)
            } else if line.has("JOB DONE") {
                jobDone = true
            } else if line.has("Error in routine"), error == nil {
                // The message is the next line of the %%%% box.
                let message = lines.dropFirst(i + 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                error = "\(line.trimmingCharacters(in: .whitespaces)) \(message)"
            }
            i += 1
        }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            problem = "empty output"
        } else if let error {
            problem = "pw.x stopped: \(error)"
        } else if let notConverged {
            problem = "SCF not converged (\(notConverged))"
        } else if !jobDone {
            problem = "job killed mid-way: the output ends before JOB DONE"
        } else if !converged {
            problem = "SCF not converged: no \"convergence has been achieved\""
        } else if let unreadable {
            problem = "unreadable line: \(unreadable.trimmingCharacters(in: .whitespaces))"
        } else if energy == nil {
            problem = "no final total energy (\"!    total energy\")"
        } else if forces.isEmpty {
            problem = "no forces: set tprnfor = .true. in the template"
        }
    }

    /// Energy (eV), forces (eV/Å) and virial (eV) for a structure with
    /// `natoms` atoms in `cell`: W = σ_QE·V, since pw.x prints the stress
    /// with the sign that makes W = −σV (dpdata's convention).
    public func labels(natoms: Int, cell: Cell?) -> Result<(Double, [SIMD3<Double>], Matrix3?), LabelRejection> {
        if let problem { return .failure(LabelRejection(problem)) }
        guard let energy else { return .failure(LabelRejection("no final total energy")) }
        guard forces.count >= natoms else {
            return .failure(LabelRejection("\(forces.count) forces for \(natoms) atoms"))
        }
        // pw.x may print further blocks (contributions) after the totals; the first natoms are the totals.
        let f = forces.prefix(natoms).map { DFTUnits.rydbergPerBohr * $0 }
        var virial: Matrix3?
        if let stress, let cell {
            virial = (DFTUnits.kbarInEVPerCubicAngstrom * abs(cell.volume)) * stress
        }
        return .success((Units.rydberg * energy, Array(f), virial))
    }

    static func number(after marker: Character, in line: Substring) -> Double? {
        guard let at = line.firstIndex(of: marker) else { return nil }
        return line[line.index(after: at)...].split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) }
    }

    static func vector(after marker: Character, in line: Substring) -> SIMD3<Double>? {
        guard let at = line.firstIndex(of: marker), let v = numbers(line[line.index(after: at)...], from: 0) else { return nil }
        return SIMD3(v[0], v[1], v[2])
    }

    /// Three numbers from token `from` on; nil if any is missing or unreadable (`*****`).
    static func numbers(_ line: Substring, from: Int) -> [Double]? {
        let tokens = line.split(whereSeparator: \.isWhitespace)
        guard tokens.count >= from + 3 else { return nil }
        let values = tokens[from..<(from + 3)].compactMap { Double($0) }
        return values.count == 3 ? values : nil
    }
}
