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
        self = OutputScan.withBytes(of: text) { QEOutput(scanning: $0) }
    }

    private static let markers: [StaticString] = [
        "!    total energy", "Forces acting on atoms", "total   stress", "convergence has been achieved",
        "convergence NOT achieved", "JOB DONE", "Error in routine",
    ]

    init(scanning out: OutputScan) {
        energy = nil
        forces = []
        stress = nil
        problem = nil
        var converged = false
        var notConverged: String?
        var jobDone = false
        var error: String?
        var unreadable: String?
        var handled = -1  // start of the last line a marker was handled on, or of the force block's end
        for hit in out.lines(containing: Self.markers) where hit.line.lowerBound > handled {
            let line = hit.line
            switch hit.marker {
            case 0:
                // `!    total energy              =     -15.83871598 Ry`
                guard out.line(line, begins: "!    total energy") else { continue }
                if let value = out.number(after: UInt8(ascii: "="), in: line) { energy = value } else { unreadable = out.text(line) }
            case 1:
                guard forces.isEmpty else { continue }
                // Lines with `force =` follow, after blank lines; the block ends at any other line.
                var next = out.line(after: line)
                while let l = next {
                    if out.line(l, has: "force =") {
                        guard let at = out[l].firstIndex(of: UInt8(ascii: "=")),
                              let f = out.vector((l.lowerBound + at + 1)..<l.upperBound, from: 0) else {
                            unreadable = out.text(l)
                            break
                        }
                        forces.append(f)
                    } else if !Text.isBlank(out[l]) || !forces.isEmpty {
                        break
                    }
                    handled = l.lowerBound
                    next = out.line(after: l)
                }
            case 2:
                // Three rows: Ry/Bohr³ columns 0–2, kbar columns 3–5.
                let r0 = out.line(after: line), r1 = r0.flatMap(out.line(after:)), r2 = r1.flatMap(out.line(after:))
                if let r0, let r1, let r2, let a = out.vector(r0, from: 3), let b = out.vector(r1, from: 3),
                   let c = out.vector(r2, from: 3) {
                    stress = Matrix3(a, b, c)
                } else {
                    unreadable = out.text(line)
                }
            case 3: converged = true
            case 4: notConverged = out.text(line)
            case 5: jobDone = true
            default:
                guard error == nil else { continue }
                // The message is the next line of the %%%% box.
                let message = out.line(after: line).map { out.text($0) } ?? ""
                error = "\(out.text(line)) \(message)"
            }
            handled = max(handled, line.lowerBound)
        }
        if out.isBlank {
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
            problem = "unreadable line: \(unreadable)"
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
}
