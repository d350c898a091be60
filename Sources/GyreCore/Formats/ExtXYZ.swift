import Foundation

/// ASE's extended XYZ: per frame, a line with the atom count, a comment line of
/// key=value pairs (`Lattice`, `Properties`, `energy`, `virial` or `stress`,
/// `pbc`), then one line per atom in the columns `Properties` declares.
public enum ExtXYZ {
    /// Every frame in the file. For large trajectories prefer ``ExtXYZReader``.
    public static func read(_ url: URL) throws -> [Frame] {
        var reader = try ExtXYZReader(url: url)
        var frames: [Frame] = []
        while let f = try reader.next() { frames.append(f) }
        return frames
    }

    /// Writes the frames, replacing the file. Numbers are written in Swift's
    /// shortest exact form, so reading them back gives the same Doubles.
    public static func write(_ frames: [Frame], to url: URL) throws {
        let out = try FileWriter(url: url)
        for f in frames { try out.write(format(f)) }
        try out.close()
    }

    /// Appends frames to a trajectory, creating it if needed.
    public static func append(_ frames: [Frame], to url: URL) throws {
        let out = try FileWriter(url: url, append: true)
        for f in frames { try out.write(format(f)) }
        try out.close()
    }

    /// One frame as extxyz text, ending with a newline. The virial is written as
    /// `virial="9 numbers"` (eV) column-major, as ASE orders its 3×3 info keys,
    /// and ASE keeps it in `atoms.info["virial"]`. `Lattice` lists a, b, c.
    public static func format(_ frame: Frame) -> String {
        var s = ""
        s.reserveCapacity(80 + frame.count * (frame.forces == nil ? 64 : 128))
        s += "\(frame.count)\n"
        if let cell = frame.cell {
            s += "Lattice=\"" + numbers(cell.matrix.rowMajor) + "\" "
        }
        s += frame.forces == nil ? "Properties=species:S:1:pos:R:3" : "Properties=species:S:1:pos:R:3:forces:R:3"
        if let e = frame.energy { s += " energy=\(e)" }
        if let v = frame.virial { s += " virial=\"" + numbers(v.transposed.rowMajor) + "\"" }
        let pbc = frame.cell?.pbc ?? .none
        s += " pbc=\"\(pbc.a ? "T" : "F") \(pbc.b ? "T" : "F") \(pbc.c ? "T" : "F")\"\n"
        for i in 0..<frame.count {
            let p = frame.positions[i]
            s += frame.species[i]
            // Double.write(to:) prints the shortest exact form straight into the
            // string, without a temporary String per number.
            s += " "; p.x.write(to: &s)
            s += " "; p.y.write(to: &s)
            s += " "; p.z.write(to: &s)
            if let forces = frame.forces, i < forces.count {
                let f = forces[i]
                s += " "; f.x.write(to: &s)
                s += " "; f.y.write(to: &s)
                s += " "; f.z.write(to: &s)
            }
            s += "\n"
        }
        return s
    }

    private static func numbers(_ v: [Double]) -> String {
        v.map { "\($0)" }.joined(separator: " ")
    }
}
