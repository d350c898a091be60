/// Perturbed copies of a structure for initial training data: a random
/// symmetric strain of the cell (each component uniform in ±`strain`) and
/// Gaussian displacements of every atom (standard deviation `rattle`, Å).
public enum Perturbation {
    public static func perturb(_ frame: Frame, strain: Double, rattle: Double, random: inout SeededGenerator) -> Frame {
        var out = frame
        if let cell = frame.cell {
            var e = [[Double]](repeating: [0, 0, 0], count: 3)
            for i in 0..<3 {
                for j in i..<3 {
                    let v = (2 * random.nextUnit() - 1) * strain
                    e[i][j] = v
                    e[j][i] = v
                }
            }
            let deformation = Matrix3(
                SIMD3(1 + e[0][0], e[0][1], e[0][2]), SIMD3(e[1][0], 1 + e[1][1], e[1][2]),
                SIMD3(e[2][0], e[2][1], 1 + e[2][2]))
            // Rows are vectors: r' = r · (I + ε) keeps fractional coordinates.
            out.cell = Cell(cell.matrix * deformation, pbc: cell.pbc)
            out.positions = frame.positions.map { deformation.leftMultiply($0) }
        }
        out.positions = out.positions.map {
            $0 + rattle * SIMD3(random.nextGaussian(), random.nextGaussian(), random.nextGaussian())
        }
        return out
    }
}
