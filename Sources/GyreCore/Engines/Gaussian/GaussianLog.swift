import Foundation

/// What a Gaussian log says about its last gradient: the SCF energy
/// (Hartree), the forces (Hartree/Bohr), the input-orientation geometry (Å) —
/// and whether it converged and terminated normally. Molecules only: Gyre
/// labels Gaussian frames without a cell.
public struct GaussianLog: Sendable {
    public var energy: Double?
    public var forces: [SIMD3<Double>] = []
    public var species: [String] = []
    public var positions: [SIMD3<Double>] = []
    public var problem: String?

    public init(_ text: String) {
        let lines = OutputText.lines(text)
        var normal = false
        var convergenceFailure = false
        var errorLine: String?
        var unreadable: String?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.begins(" SCF Done") {
                // ` SCF Done:  E(RB3LYP) =  -40.5240137309     A.U. after    8 cycles`
                let t = line.split(whereSeparator: \.isWhitespace)
                if t.count > 4, let e = Double(t[4]) { energy = e } else { unreadable = String(line) }
            } else if line.has("Input orientation:") || line.has("Z-Matrix orientation:") {
                // Header, dashes, two title lines, dashes, then atoms until dashes.
                species = []
                positions = []
                var j = i + 5
                while j < lines.count, !lines[j].begins(" ----") {
                    let t = lines[j].split(whereSeparator: \.isWhitespace)
                    guard t.count >= 6, let z = Int(t[1]), let x = Double(t[3]), let y = Double(t[4]), let zz = Double(t[5]) else {
                        unreadable = String(lines[j])
                        break
                    }
                    if z != -2 {  // -2 marks translation vectors, which Gyre does not label
                        species.append(Element.withNumber(z)?.symbol ?? "X")
                        positions.append(SIMD3(x, y, zz))
                    }
                    j += 1
                }
                i = j
                continue
            } else if line.has("Forces (Hartrees/Bohr)") {
                forces = []
                var j = i + 3
                while j < lines.count, !lines[j].begins(" ----") {
                    let t = lines[j].split(whereSeparator: \.isWhitespace)
                    guard t.count >= 5, let z = Int(t[1]), let x = Double(t[2]), let y = Double(t[3]), let zz = Double(t[4]) else {
                        unreadable = String(lines[j])
                        break
                    }
                    if z != -2 { forces.append(SIMD3(x, y, zz)) }
                    j += 1
                }
                i = j
                continue
            } else if line.has("Normal termination of Gaussian") {
                normal = true
            } else if line.has("Convergence failure") {
                convergenceFailure = true
            } else if line.has("Error termination"), errorLine == nil {
                errorLine = line.trimmingCharacters(in: .whitespaces)
            }
            i += 1
        }
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            problem = "empty output"
        } else if convergenceFailure {
            problem = "SCF not converged (\"Convergence failure\")"
        } else if let errorLine {
            problem = "Gaussian stopped: \(errorLine)"
        } else if !normal {
            problem = "job killed mid-way: no \"Normal termination\""
        } else if let unreadable {
            problem = "unreadable line: \(unreadable.trimmingCharacters(in: .whitespaces))"
        } else if energy == nil {
            problem = "no SCF energy (\"SCF Done\")"
        } else if forces.isEmpty {
            problem = "no forces: the route needs `force`"
        } else if forces.count != positions.count {
            problem = "\(forces.count) forces for \(positions.count) atoms"
        }
    }

    /// The labelled molecule (eV, eV/Å), or why not.
    public func frame() -> Result<Frame, LabelRejection> {
        if let problem { return .failure(LabelRejection(problem)) }
        guard let energy else { return .failure(LabelRejection("no SCF energy")) }
        let frame = Frame(species: species, positions: positions, cell: nil, energy: Units.hartree * energy,
                          forces: forces.map { DFTUnits.hartreePerBohr * $0 })
        if let problem = LabelCheck.validate(frame) { return .failure(problem) }
        return .success(frame)
    }
}
