import Foundation

/// What makes two frames the same structure for deduplication: species in
/// order, periodicity, and every cell component and Cartesian coordinate
/// rounded to the nearest 10⁻⁶ Å. Labels do not count — the same structure
/// labelled twice is one data point.
///
/// Rounding absorbs the last-digit noise of unit conversions and text
/// round trips, far below any physical difference. Two coordinates within
/// 10⁻⁶ Å that fall on either side of a rounding boundary stay distinct; that
/// only costs a redundant frame, never a lost one. Atoms are not wrapped
/// into the cell, so a copy shifted by a lattice vector is a different frame.
public struct FrameContent: Hashable, Sendable {
    /// Grid points per ångström.
    public static let resolution = 1e6

    public let species: [String]
    public let periodic: [Bool]
    /// Cell row-major, then positions x y z per atom, in grid points.
    public let grid: [Int64]

    public init(_ frame: Frame) {
        species = frame.species
        let pbc = frame.cell?.pbc
        periodic = [pbc?.a ?? false, pbc?.b ?? false, pbc?.c ?? false, frame.cell != nil]
        var grid: [Int64] = []
        grid.reserveCapacity(9 + 3 * frame.count)
        func point(_ x: Double) -> Int64 {
            // Finite by the time a frame is labelled; clamp rather than trap on anything else.
            let scaled = (x * Self.resolution).rounded()
            return scaled.isFinite ? Int64(max(-9.0e18, min(9.0e18, scaled))) : Int64.min
        }
        for x in frame.cell?.matrix.rowMajor ?? [] { grid.append(point(x)) }
        for p in frame.positions {
            grid.append(point(p.x)); grid.append(point(p.y)); grid.append(point(p.z))
        }
        self.grid = grid
    }

    /// A stable 64-bit FNV-1a digest of the content, as 16 hex digits: the
    /// same on every machine and run (unlike `hashValue`), for the journal.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for s in species {
            for b in s.utf8 { mix(b) }
            mix(0)
        }
        for p in periodic { mix(p ? 1 : 0) }
        for v in grid {
            withUnsafeBytes(of: v.littleEndian) { for b in $0 { mix(b) } }
        }
        return String(format: "%016llx", hash)
    }
}
