import GyreCore
import Testing

@testable import GyreBuiltin

/// The binned list against a brute-force search over every image in range.
struct NeighborListTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var cell: Cell?
        var atoms: Int
        var cutoff: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "cubic, large", cell: .orthorhombic(12, 12, 12), atoms: 40, cutoff: 3.5),
        Case(name: "triclinic", cell: Cell(Matrix3(SIMD3(9, 0, 0), SIMD3(3.5, 8, 0), SIMD3(-2, 2.5, 7.5))), atoms: 60, cutoff: 3.2),
        Case(name: "triclinic smaller than 2×cutoff", cell: Cell(Matrix3(SIMD3(5, 0.3, 0), SIMD3(1.8, 4.6, 0), SIMD3(1, -1.2, 4.8))), atoms: 7, cutoff: 4.0),
        Case(name: "cell thinner than cutoff", cell: Cell(Matrix3(SIMD3(2.1, 0, 0), SIMD3(0.9, 2.4, 0), SIMD3(0.4, 0.7, 2.2))), atoms: 2, cutoff: 5.3),
        Case(name: "slab, z not periodic", cell: Cell(.diagonal(7, 8, 20), pbc: Periodicity(true, true, false)), atoms: 30, cutoff: 3.0),
        Case(name: "isolated cluster", cell: nil, atoms: 40, cutoff: 3.0),
    ]

    @Test(arguments: cases)
    func matchesBruteForce(_ c: Case) {
        var rng = SeededGenerator(seed: 11, stream: ["neighbors", c.name])
        let box = c.cell?.matrix ?? .diagonal(8, 8, 8)
        // Positions partly outside the home cell, to exercise wrapping and image bookkeeping.
        let positions = (0..<c.atoms).map { _ in
            box.leftMultiply(SIMD3(rng.nextUnit() * 1.6 - 0.3, rng.nextUnit() * 1.6 - 0.3, rng.nextUnit() * 1.6 - 0.3))
        }
        let list = NeighborList(positions: positions, cell: c.cell, cutoff: c.cutoff)
        #expect(list.count == c.atoms)
        let expected = Self.bruteForce(positions: positions, cell: c.cell, cutoff: c.cutoff)
        for i in 0..<c.atoms {
            var got: [[Int]] = []
            for k in list.range(of: i) {
                let im = list.images[k]
                got.append([list.neighbors[k], Int(im.x), Int(im.y), Int(im.z)])
                let shift = (c.cell?.matrix ?? .zero).leftMultiply(SIMD3(Double(im.x), Double(im.y), Double(im.z)))
                #expect(norm(list.shifts[k] - shift) < 1e-9)
                #expect(norm(positions[list.neighbors[k]] + list.shifts[k] - positions[i]) < c.cutoff)
            }
            #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected[i], "atom \(i)")
        }
    }

    static func bruteForce(positions: [SIMD3<Double>], cell: Cell?, cutoff: Double) -> [[[Int]]] {
        // Enough images for the thinnest cell direction plus the wrapping of positions up to 0.3–1.3 cells out.
        let widths = cell?.perpendicularWidths ?? SIMD3(1, 1, 1)
        let range = Int((cutoff / widths.min()).rounded(.up)) + 3
        func span(_ periodic: Bool) -> ClosedRange<Int> { periodic ? -range...range : 0...0 }
        let pbc = cell?.pbc ?? .none
        let m = cell?.matrix ?? .zero
        return positions.indices.map { i in
            var out: [[Int]] = []
            for j in positions.indices {
                for a in span(pbc.a) {
                    for b in span(pbc.b) {
                        for c in span(pbc.c) {
                            if i == j && a == 0 && b == 0 && c == 0 { continue }
                            let d = positions[j] + m.leftMultiply(SIMD3(Double(a), Double(b), Double(c))) - positions[i]
                            if norm(d) < cutoff { out.append([j, a, b, c]) }
                        }
                    }
                }
            }
            return out.sorted { $0.lexicographicallyPrecedes($1) }
        }
    }

    @Test func cellUpdateKeepsPairsAndRescalesShifts() {
        let cell = Cell(Matrix3(SIMD3(4, 0, 0), SIMD3(1, 4, 0), SIMD3(0, 0.5, 4)))
        let positions: [SIMD3<Double>] = [SIMD3(0.1, 0.2, 0.3), SIMD3(2, 2.1, 1.9)]
        let list = NeighborList(positions: positions, cell: cell, cutoff: 5)
        let strained = Cell(1.01 * cell.matrix)
        let moved = list.withCell(strained)
        #expect(moved.neighbors == list.neighbors)
        for k in moved.shifts.indices {
            #expect(norm(moved.shifts[k] - 1.01 * list.shifts[k]) < 1e-12)
        }
    }
}
