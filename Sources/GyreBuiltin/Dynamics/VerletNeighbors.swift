import GyreCore

/// A neighbour list built with cutoff + skin and reused across MD steps while it is
/// provably complete. For a fixed cell: until some atom moved more than skin/2. For a
/// changing cell (NPT) the list keeps integer images, `NeighborList.withCell` moves the
/// shifts with the cell, and it is rebuilt once 2·max|δ| + ‖F − I‖·(cutoff + skin)
/// reaches the skin, where F maps the reference cell onto the current one and δ is each
/// atom's displacement beyond the affine deformation.
struct VerletNeighbors {
    let cutoff: Double
    let skin: Double
    private(set) var list: NeighborList
    private var reference: [SIMD3<Double>]
    private var referenceCell: Cell?
    private var referenceInverse: Matrix3?
    private(set) var rebuilds = 0

    init(positions: [SIMD3<Double>], cell: Cell?, cutoff: Double, skin: Double) {
        self.cutoff = cutoff
        self.skin = skin
        self.list = NeighborList(positions: positions, cell: cell, cutoff: cutoff + skin)
        self.reference = positions
        self.referenceCell = cell
        self.referenceInverse = cell?.matrix.inverse
    }

    /// The list for these positions and cell, rebuilt only when needed.
    mutating func update(positions: [SIMD3<Double>], cell: Cell?) -> NeighborList {
        var deformation = Matrix3.identity
        let cellChanged = cell != referenceCell
        if cellChanged, let inverse = referenceInverse, let cell {
            deformation = inverse * cell.matrix
        }
        let strain = (deformation - .identity).rowMajor.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var maxShift2 = 0.0
        for i in positions.indices {
            let expected = cellChanged ? deformation.leftMultiply(reference[i]) : reference[i]
            let d = positions[i] - expected
            maxShift2 = max(maxShift2, d.x * d.x + d.y * d.y + d.z * d.z)
        }
        let budget = 2 * maxShift2.squareRoot() + strain * (cutoff + skin)
        if budget >= skin || (cellChanged && referenceInverse == nil) || !budget.isFinite {
            list = NeighborList(positions: positions, cell: cell, cutoff: cutoff + skin)
            reference = positions
            referenceCell = cell
            referenceInverse = cell?.matrix.inverse
            rebuilds += 1
        } else if cellChanged {
            list = list.withCell(cell)
        }
        return list
    }
}
