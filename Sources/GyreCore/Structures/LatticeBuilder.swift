/// Builds crystals from a `LatticeSpec`: the conventional cell of the lattice,
/// repeated, with species placed by seeded random substitution so that an
/// alloy's composition is exact and the same for the same seed.
public enum LatticeBuilder {
    /// The structure, with species drawn from `random` when the composition has several elements.
    public static func build(_ spec: LatticeSpec, random: inout SeededGenerator) -> Frame {
        let (cell, basis) = conventionalCell(spec)
        let n = spec.repetitions
        var fractional: [SIMD3<Double>] = []
        fractional.reserveCapacity(basis.count * n[0] * n[1] * n[2])
        for i in 0..<n[0] {
            for j in 0..<n[1] {
                for k in 0..<n[2] {
                    let offset = SIMD3(Double(i), Double(j), Double(k))
                    for b in basis {
                        fractional.append((b + offset) / SIMD3(Double(n[0]), Double(n[1]), Double(n[2])))
                    }
                }
            }
        }
        let supercell = Matrix3(
            Double(n[0]) * cell.rows.0, Double(n[1]) * cell.rows.1, Double(n[2]) * cell.rows.2)
        let positions = fractional.map { supercell.leftMultiply($0) }
        let species = assignSpecies(spec.composition, count: positions.count, random: &random)
        return Frame(species: species, positions: positions, cell: Cell(supercell))
    }

    /// Exact counts per element (largest remainders), then a seeded shuffle over sites.
    static func assignSpecies(_ composition: [(element: String, fraction: Double)], count: Int, random: inout SeededGenerator) -> [String] {
        guard composition.count > 1 else { return Array(repeating: composition.first?.element ?? "X", count: count) }
        let exact = composition.map { $0.fraction * Double(count) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0])) > (exact[$1] - Double(counts[$1])) }
        var missing = count - counts.reduce(0, +)
        for i in order where missing > 0 {
            counts[i] += 1
            missing -= 1
        }
        var species: [String] = []
        for (i, c) in counts.enumerated() {
            species += Array(repeating: composition[i].element, count: c)
        }
        // Fisher–Yates with the seeded generator: deterministic across platforms.
        for i in stride(from: species.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            species.swapAt(i, j)
        }
        return species
    }

    /// The conventional cell (rows a, b, c) and its basis in fractional coordinates.
    static func conventionalCell(_ spec: LatticeSpec) -> (Matrix3, [SIMD3<Double>]) {
        let a = spec.a
        let cubic = Matrix3.diagonal(a, a, a)
        let fcc: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0)]
        switch spec.kind {
        case .sc:
            return (cubic, [SIMD3(0, 0, 0)])
        case .bcc:
            return (cubic, [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0.5)])
        case .fcc:
            return (cubic, fcc)
        case .diamond:
            return (cubic, fcc + fcc.map { $0 + SIMD3(0.25, 0.25, 0.25) })
        case .hcp:
            let c = spec.c ?? a * (8.0 / 3.0).squareRoot()
            let cell = Matrix3(SIMD3(a, 0, 0), SIMD3(-a / 2, a * 3.0.squareRoot() / 2, 0), SIMD3(0, 0, c))
            return (cell, [SIMD3(0, 0, 0), SIMD3(1.0 / 3.0, 2.0 / 3.0, 0.5)])
        }
    }
}
