/// Monkhorst–Pack mesh sizes from a k-point spacing, the rule VASP's KSPACING
/// and DP-GEN use: n_i = max(1, ceil(2π|b_i|/k)), b_i the reciprocal vectors
/// without the 2π factor.
public enum KPointMesh {
    /// The mesh for `cell` at `spacing` (Å⁻¹, 2π included); 1 along
    /// non-periodic directions, where k-points carry no meaning. nil for a
    /// degenerate cell.
    public static func mesh(for cell: Cell, spacing: Double) -> [Int]? {
        guard spacing > 0, spacing.isFinite, let reciprocal = cell.reciprocal else { return nil }
        return (0..<3).map { axis in
            guard cell.pbc[axis] else { return 1 }
            let n = (2 * Double.pi * norm(reciprocal[axis]) / spacing).rounded(.up)
            // A huge value would mean a near-degenerate cell; cap so the Int conversion is safe.
            return n.isFinite ? max(1, Int(min(n, 1_000))) : 1
        }
    }
}
