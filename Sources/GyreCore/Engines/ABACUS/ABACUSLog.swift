import Foundation

/// What ABACUS's running_scf.log says: the final energy (eV), the last
/// TOTAL-FORCE block (eV/Å), the last TOTAL-STRESS (kbar), and whether the
/// SCF converged and the run finished.
public struct ABACUSLog: Sendable {
    public var energy: Double?
    public var forces: [SIMD3<Double>] = []
    public var stress: Matrix3?
    public var problem: String?

    public init(_ text: String) {
        let lines = OutputText.lines(text)
        var notConverged = false, finished = false
        var warning: String?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.has("final etot is") || line.has("TOTAL ENERGY") {
                // ` final etot is -219.792446575473 eV`: the number before the unit.
                let t = line.split(whereSeparator: \.isWhitespace)
                if t.count >= 2, let e = Double(t[t.count - 2]) { energy = e }
            } else if line.has("convergence has NOT been achieved") || line.has("convergence has not been achieved") {
                notConverged = true
            } else if line.has("TOTAL-FORCE") {
                // Ry/Bohr and eV/Å blocks both follow; the last one read is the eV/Å one.
                let block = Self.rows(after: i, in: lines, first: 1)
                if !block.isEmpty { forces = block }
            } else if line.has("TOTAL-STRESS") {
                let block = Self.rows(after: i, in: lines, first: 0)
                if block.count == 3 { stress = Matrix3(block[0], block[1], block[2]) }
            } else if line.has("Total  Time") || line.has("Total Time") {
                finished = true
            } else if warning == nil, line.has("NOTICE"), i + 1 < lines.count, lines[i + 1].has("!!!!!!") {
                // ` !!!!\n NOTICE\n !!!!\n\n The structure is unreasonable!`: the first text line after the box.
                let message = lines.dropFirst(i + 2).prefix(3).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
                if let message { warning = message }
            }
            i += 1
        }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            problem = "empty output"
        } else if notConverged {
            problem = "SCF not converged (\"convergence has NOT been achieved\")"
        } else if let warning, energy == nil || !finished {
            problem = "ABACUS stopped: \(warning)"
        } else if !finished {
            problem = "job killed mid-way: no \"Total  Time\" at the end of the log"
        } else if energy == nil {
            problem = "no final energy (\"final etot is\")"
        } else if forces.isEmpty {
            problem = "no TOTAL-FORCE block: set `cal_force 1`"
        }
    }

    /// Labels for `structure` (from its STRU): W = σ_kbar·V, as dpdata reads it.
    public func frame(_ structure: Frame) -> Result<Frame, LabelRejection> {
        if let problem { return .failure(LabelRejection(problem)) }
        guard let energy else { return .failure(LabelRejection("no final energy")) }
        guard forces.count == structure.count else {
            return .failure(LabelRejection("\(forces.count) forces for \(structure.count) atoms"))
        }
        var frame = structure
        frame.energy = energy
        frame.forces = forces
        if let stress, let cell = structure.cell {
            frame.virial = (DFTUnits.kbarInEVPerCubicAngstrom * abs(cell.volume)) * stress
        }
        if let problem = LabelCheck.validate(frame) { return .failure(problem) }
        return .success(frame)
    }

    /// Numeric rows of three after a `><><` framed header; `first` is the
    /// index of the first number (1 when rows start with an atom label).
    static func rows(after index: Int, in lines: [Substring], first: Int) -> [SIMD3<Double>] {
        var rows: [SIMD3<Double>] = []
        var j = index + 1
        while j < lines.count, j < index + 12 || !rows.isEmpty {
            let t = lines[j].split(whereSeparator: \.isWhitespace)
            if t.count == first + 3, let x = Double(t[first]), let y = Double(t[first + 1]), let z = Double(t[first + 2]) {
                rows.append(SIMD3(x, y, z))
            } else if !rows.isEmpty {
                break
            }
            j += 1
        }
        return rows
    }
}
