import GyreCore

/// Full neighbour list (i→j and j→i) within `cutoff`, periodic images included,
/// for any triclinic cell, cells smaller than 2×cutoff included.
///
/// Built in O(N) by binning atoms in fractional coordinates: along each axis the
/// bins are at least `cutoff` wide measured perpendicular to the cell faces, so
/// only neighbouring bins (and, for cells thinner than the cutoff, several
/// periodic images of them) need to be searched.
///
/// Every entry also records its integer lattice translation in `images`, relative
/// to the positions exactly as passed in (unwrapped). Under an affine change of
/// the cell (a barostat step) the pairs stay the same and `withCell(_:)` recomputes
/// the Cartesian `shifts`; this is how MD reuses a list built with a Verlet skin.
public struct NeighborList: Sendable {
    /// Search radius the list was built with, Å. Potentials must still test
    /// distances against their own cutoff: MD builds lists with cutoff + skin.
    public let cutoff: Double
    /// j for each entry.
    public let neighbors: [Int]
    /// Cartesian image translation for each entry: r_ij = positions[j] + shifts[k] - positions[i].
    public let shifts: [SIMD3<Double>]
    /// Integer lattice translation of each entry: shifts[k] = images[k] · cell (rows a, b, c).
    public let images: [SIMD3<Int32>]
    /// Entries of atom i are offsets[i]..<offsets[i+1].
    private let offsets: [Int]

    /// Number of atoms.
    public var count: Int { offsets.count - 1 }

    /// Neighbour entries of atom i: indices into `neighbors`/`shifts`.
    @inlinable public func range(of i: Int) -> Range<Int> { entryStart(i)..<entryStart(i + 1) }

    @usableFromInline func entryStart(_ i: Int) -> Int { offsets[i] }

    /// Builds the list. A nil or degenerate cell means an isolated system (no images);
    /// non-periodic axes of a cell get no images along them.
    public init(positions: [SIMD3<Double>], cell: Cell?, cutoff: Double) {
        self.cutoff = cutoff
        let n = positions.count
        let geometry = BinGeometry(positions: positions, cell: cell, cutoff: cutoff)
        let matrix = geometry.matrix

        var offsets = [Int](repeating: 0, count: n + 1)
        var neighbors: [Int] = []
        var images: [SIMD3<Int32>] = []
        var shifts: [SIMD3<Double>] = []
        neighbors.reserveCapacity(n * 64)
        images.reserveCapacity(n * 64)
        shifts.reserveCapacity(n * 64)

        let cut2 = cutoff * cutoff
        let nb = geometry.binCounts
        let reach = geometry.reach
        let periodic = geometry.periodic
        for i in 0..<n {
            let bi = geometry.binOfAtom[i]
            let xi = geometry.wrapped[i]
            for kz in -reach.z...reach.z {
                guard let (bz, iz) = Self.resolve(bi.z + kz, nb.z, periodic.c) else { continue }
                for ky in -reach.y...reach.y {
                    guard let (by, iy) = Self.resolve(bi.y + ky, nb.y, periodic.b) else { continue }
                    for kx in -reach.x...reach.x {
                        guard let (bx, ix) = Self.resolve(bi.x + kx, nb.x, periodic.a) else { continue }
                        let bin = (bz * nb.y + by) * nb.x + bx
                        let image = SIMD3(Double(ix), Double(iy), Double(iz))
                        let translation = matrix.leftMultiply(image)
                        let isHome = ix == 0 && iy == 0 && iz == 0
                        for slot in geometry.binStart[bin]..<geometry.binStart[bin + 1] {
                            let j = geometry.binAtoms[slot]
                            if isHome && j == i { continue }
                            let d = geometry.wrapped[j] + translation - xi
                            guard dot(d, d) < cut2 else { continue }
                            // Back from wrapped to the caller's positions.
                            let w = geometry.wraps[i] &- geometry.wraps[j] &+ SIMD3(Int32(ix), Int32(iy), Int32(iz))
                            neighbors.append(j)
                            images.append(w)
                            shifts.append(matrix.leftMultiply(SIMD3(Double(w.x), Double(w.y), Double(w.z))))
                        }
                    }
                }
            }
            offsets[i + 1] = neighbors.count
        }
        self.offsets = offsets
        self.neighbors = neighbors
        self.images = images
        self.shifts = shifts
    }

    private init(cutoff: Double, neighbors: [Int], shifts: [SIMD3<Double>], images: [SIMD3<Int32>], offsets: [Int]) {
        self.cutoff = cutoff
        self.neighbors = neighbors
        self.shifts = shifts
        self.images = images
        self.offsets = offsets
    }

    /// The same pairs with `shifts` recomputed for a deformed cell. Valid while the
    /// positions were deformed along with the cell (affinely) and no pair moved by more
    /// than the skin the list was built with; `VerletList` decides when that holds.
    public func withCell(_ cell: Cell?) -> NeighborList {
        let m = cell?.matrix ?? .zero
        let newShifts = images.map { m.leftMultiply(SIMD3(Double($0.x), Double($0.y), Double($0.z))) }
        return NeighborList(cutoff: cutoff, neighbors: neighbors, shifts: newShifts, images: images, offsets: offsets)
    }

    /// Bin index and image count along one axis for bin b + k; nil when a
    /// non-periodic axis runs out of bins.
    private static func resolve(_ b: Int, _ count: Int, _ periodic: Bool) -> (Int, Int)? {
        if periodic {
            let image = b >= 0 ? b / count : -((-b + count - 1) / count)
            return (b - image * count, image)
        }
        return b >= 0 && b < count ? (b, 0) : nil
    }
}
