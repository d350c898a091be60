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
        // Chunks of atoms are searched in parallel into their own arrays, then
        // concatenated in chunk order: the list is the same on any number of cores.
        let work = ChunkedWork(count: n, grain: 256)
        var parts = [Part](repeating: Part(), count: work.chunks)
        let expected = Self.expectedNeighbors(atoms: n, cell: cell, cutoff: cutoff)
        parts.withUnsafeMutableBufferPointer { out in
            work.run { chunk, atoms in
                var part = Part()
                part.reserve(expected * atoms.count)
                for i in atoms {
                    Self.search(atom: i, geometry: geometry, cutoff: cutoff, into: &part)
                    part.counts.append(part.neighbors.count)
                }
                out[chunk] = part
            }
        }
        var offsets = [Int](repeating: 0, count: n + 1)
        var neighbors: [Int] = []
        var images: [SIMD3<Int32>] = []
        var shifts: [SIMD3<Double>] = []
        let total = parts.reduce(0) { $0 + $1.neighbors.count }
        neighbors.reserveCapacity(total)
        images.reserveCapacity(total)
        shifts.reserveCapacity(total)
        var atom = 0
        for part in parts {
            let base = neighbors.count
            for end in part.counts {
                offsets[atom + 1] = base + end
                atom += 1
            }
            neighbors += part.neighbors
            images += part.images
            shifts += part.shifts
        }
        self.offsets = offsets
        self.neighbors = neighbors
        self.images = images
        self.shifts = shifts
    }

    /// One chunk's entries; `counts[k]` is the running entry count after its k-th atom.
    private struct Part {
        var neighbors: [Int] = []
        var images: [SIMD3<Int32>] = []
        var shifts: [SIMD3<Double>] = []
        var counts: [Int] = []

        mutating func reserve(_ capacity: Int) {
            neighbors.reserveCapacity(capacity)
            images.reserveCapacity(capacity)
            shifts.reserveCapacity(capacity)
        }
    }

    /// Rough entries per atom from the density, to size the arrays once.
    private static func expectedNeighbors(atoms: Int, cell: Cell?, cutoff: Double) -> Int {
        guard let cell, cell.pbc == .all, abs(cell.volume) > 0 else { return 32 }
        let sphere = 4.0 / 3.0 * Double.pi * cutoff * cutoff * cutoff
        let estimate = 1.2 * sphere * Double(atoms) / abs(cell.volume) + 8
        return estimate.isFinite ? Int(min(estimate, 4096)) : 32
    }

    /// Appends every (j, image) within `cutoff` of atom i.
    private static func search(atom i: Int, geometry: BinGeometry, cutoff: Double, into part: inout Part) {
        let matrix = geometry.matrix
        let (a, b, c) = matrix.rows
        let cut2 = cutoff * cutoff
        let nb = geometry.binCounts
        let reach = geometry.reach
        let periodic = geometry.periodic
        // Local copies and scalar arithmetic: much cheaper than SIMD temporaries in debug builds.
        let wrapped = geometry.wrapped
        let binStart = geometry.binStart
        let binAtoms = geometry.binAtoms
        let wraps = geometry.wraps
        let bi = geometry.binOfAtom[i]
        let xi = wrapped[i]
        let wi = wraps[i]
        for kz in -reach.z...reach.z {
            guard let (bz, iz) = resolve(bi.z + kz, nb.z, periodic.c) else { continue }
            for ky in -reach.y...reach.y {
                guard let (by, iy) = resolve(bi.y + ky, nb.y, periodic.b) else { continue }
                for kx in -reach.x...reach.x {
                    guard let (bx, ix) = resolve(bi.x + kx, nb.x, periodic.a) else { continue }
                    let bin = (bz * nb.y + by) * nb.x + bx
                    let fx = Double(ix), fy = Double(iy), fz = Double(iz)
                    // Translation of this image minus atom i's position.
                    let ox = fx * a.x + fy * b.x + fz * c.x - xi.x
                    let oy = fx * a.y + fy * b.y + fz * c.y - xi.y
                    let oz = fx * a.z + fy * b.z + fz * c.z - xi.z
                    let isHome = ix == 0 && iy == 0 && iz == 0
                    for slot in binStart[bin]..<binStart[bin + 1] {
                        let j = binAtoms[slot]
                        if isHome && j == i { continue }
                        let xj = wrapped[j]
                        let dx = xj.x + ox, dy = xj.y + oy, dz = xj.z + oz
                        guard dx * dx + dy * dy + dz * dz < cut2 else { continue }
                        // Back from wrapped to the caller's positions.
                        let wj = wraps[j]
                        let nx = wi.x &- wj.x &+ Int32(ix), ny = wi.y &- wj.y &+ Int32(iy), nz = wi.z &- wj.z &+ Int32(iz)
                        let gx = Double(nx), gy = Double(ny), gz = Double(nz)
                        part.neighbors.append(j)
                        part.images.append(SIMD3(nx, ny, nz))
                        part.shifts.append(SIMD3(gx * a.x + gy * b.x + gz * c.x,
                                                 gx * a.y + gy * b.y + gz * c.y,
                                                 gx * a.z + gy * b.z + gz * c.z))
                    }
                }
            }
        }
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
        let (a, b, c) = (cell?.matrix ?? .zero).rows
        let newShifts = images.map { n -> SIMD3<Double> in
            let x = Double(n.x), y = Double(n.y), z = Double(n.z)
            return SIMD3(x * a.x + y * b.x + z * c.x, x * a.y + y * b.y + z * c.y, x * a.z + y * b.z + z * c.z)
        }
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
