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
        try write(frames, into: out)
        try out.close()
    }

    /// Appends frames to a trajectory, creating it if needed.
    public static func append(_ frames: [Frame], to url: URL) throws {
        let out = try FileWriter(url: url, append: true)
        try write(frames, into: out)
        try out.close()
    }

    /// Formats the frames on all cores and writes them in file order. Frames are
    /// grouped into pieces of about `atomsPerPiece` atom lines (~0.5 MB); a window
    /// of a few pieces per core is formatted in parallel, then written, so memory
    /// holds one window, not the whole output. The bytes are exactly those of
    /// ``format(_:)`` frame after frame.
    static func write(_ frames: [Frame], into out: FileWriter, atomsPerPiece: Int = 4096) throws {
        let pieces = self.pieces(frames, atomsPerPiece: atomsPerPiece)
        let window = 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        var start = 0
        while start < pieces.count {
            let batch = Array(pieces[start..<min(start + window, pieces.count)])
            // One piece is formatted here: starting threads for it would only cost time.
            let texts = batch.count == 1 ? [format(frames[batch[0]])]
                : try ParallelMap.map(batch.count) { k in format(frames[batch[k]]) }
            for var text in texts {
                try text.withUTF8 { try out.write(bytes: UnsafeRawBufferPointer($0)) }
            }
            start += batch.count
        }
    }

    /// Consecutive runs of frames holding about `atomsPerPiece` atoms each (at
    /// least one frame, so a frame larger than that is a piece of its own).
    static func pieces(_ frames: [Frame], atomsPerPiece: Int) -> [Range<Int>] {
        runs(frames.map(\.count), reaching: atomsPerPiece)
    }

    /// Splits 0..<sizes.count into consecutive runs, each closed as soon as its
    /// sizes add up to `limit` (the last run may hold less): the pieces that the
    /// writer formats, and the reader parses, one per task.
    static func runs(_ sizes: [Int], reaching limit: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var first = 0, total = 0
        for (i, size) in sizes.enumerated() {
            total += size
            if total >= limit {
                runs.append(first..<(i + 1))
                first = i + 1
                total = 0
            }
        }
        if first < sizes.count { runs.append(first..<sizes.count) }
        return runs
    }

    /// Consecutive frames as one extxyz text.
    static func format(_ frames: ArraySlice<Frame>) -> String {
        var s = ""
        s.reserveCapacity(frames.reduce(0) { $0 + 80 + $1.count * ($1.forces == nil ? 64 : 128) })
        for f in frames { append(f, to: &s) }
        return s
    }

    /// One frame as extxyz text, ending with a newline. The virial is written as
    /// `virial="9 numbers"` (eV) column-major, as ASE orders its 3×3 info keys,
    /// and ASE keeps it in `atoms.info["virial"]`. `Lattice` lists a, b, c.
    public static func format(_ frame: Frame) -> String {
        format([frame][...])
    }

    private static func append(_ frame: Frame, to s: inout String) {
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
    }

    private static func numbers(_ v: [Double]) -> String {
        v.map { "\($0)" }.joined(separator: " ")
    }
}
