import GyreCore
import Testing

@testable import GyreBuiltin

/// Forces are −∂E/∂r and virials −∂E/∂ε (W = −σV) for every potential, by central differences.
struct PotentialsFiniteDifferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var potential: any Potential
        var frame: Frame
        var testDescription: String { name }
    }

    static var cases: [Case] {
        var alloy = PotentialsFixtures.lattice("fcc", element: "Cu", a: 3.7, repeat: 2, rattle: 0.1, seed: 3)
        for i in stride(from: 0, to: alloy.count, by: 3) { alloy.species[i] = "Au" }
        // A triclinic cell: shear the alloy.
        alloy = PotentialsFixtures.strained(alloy, by: Matrix3(SIMD3(0.02, 0.08, -0.03), SIMD3(0.0, -0.01, 0.05), SIMD3(0.04, 0.0, 0.03)))
        var cluster = PotentialsFixtures.lattice("fcc", element: "Ni", a: 3.5, repeat: 1, rattle: 0.1, seed: 4)
        cluster.cell = nil
        let silicon = PotentialsFixtures.lattice("diamond", element: "Si", a: 5.431, repeat: 2, rattle: 0.12, seed: 5)
        let siliconSheared = PotentialsFixtures.strained(silicon, by: Matrix3(SIMD3(0.01, 0.05, 0), SIMD3(0, 0.02, 0.04), SIMD3(0, 0, -0.02)))
        let argon = PotentialsFixtures.lattice("fcc", element: "Ar", a: 5.3, repeat: 2, rattle: 0.15, seed: 6)
        let lj = LennardJones(
            species: [.init(element: "Ar", epsilon: 0.0104, sigma: 3.4), .init(element: "Kr", epsilon: 0.014, sigma: 3.65)],
            cutoff: 8.0, shifted: true)
        var argonKrypton = argon
        for i in stride(from: 1, to: argon.count, by: 4) { argonKrypton.species[i] = "Kr" }
        return [
            Case(name: "EMT Cu-Au triclinic", potential: EMT(), frame: alloy),
            Case(name: "EMT Ni cluster", potential: EMT(), frame: cluster),
            Case(name: "SW Si diamond rattled", potential: StillingerWeber(), frame: silicon),
            Case(name: "SW Si sheared", potential: StillingerWeber(), frame: siliconSheared),
            Case(name: "LJ Ar-Kr mixed", potential: lj, frame: argonKrypton),
        ]
    }

    @Test(arguments: cases)
    func forcesAreMinusTheEnergyGradient(_ c: Case) throws {
        let result = try c.potential.evaluate(c.frame)
        let h = 1e-5
        // A handful of atoms and all three directions keep the debug-build runtime small.
        for i in Set([0, 1, c.frame.count / 2, c.frame.count - 1]).sorted() {
            for axis in 0..<3 {
                var plus = c.frame, minus = c.frame
                plus.positions[i][axis] += h
                minus.positions[i][axis] -= h
                let numeric = -(try c.potential.evaluate(plus).energy - c.potential.evaluate(minus).energy) / (2 * h)
                #expect(abs(numeric - result.forces[i][axis]) < 1e-6, "atom \(i) axis \(axis): \(numeric) vs \(result.forces[i][axis])")
            }
        }
        let total = result.forces.reduce(SIMD3<Double>.zero, +)
        #expect(norm(total) < 1e-9, "forces sum to \(total)")
        if let atomic = result.atomicEnergies {
            #expect(abs(atomic.reduce(0, +) - result.energy) < 1e-9)
        }
    }

    @Test(arguments: cases.filter { $0.frame.cell != nil })
    func virialIsMinusTheStrainDerivative(_ c: Case) throws {
        let result = try c.potential.evaluate(c.frame)
        let h = 1e-6
        for a in 0..<3 {
            for b in 0..<3 {
                var e = Matrix3.zero
                e[a][b] = h
                let plus = try c.potential.evaluate(PotentialsFixtures.strained(c.frame, by: e)).energy
                let minus = try c.potential.evaluate(PotentialsFixtures.strained(c.frame, by: -1 * e)).energy
                let numeric = -(plus - minus) / (2 * h)
                #expect(abs(numeric - result.virial[a][b]) < 1e-5, "W[\(a)][\(b)]: \(numeric) vs \(result.virial[a][b])")
            }
        }
    }

    @Test func unknownElementIsAClearError() {
        let frame = Frame(species: ["Cu", "Xx"], positions: [.zero, SIMD3(2, 0, 0)], cell: nil)
        #expect(throws: GyreError.self) { try EMT().evaluate(frame) }
    }
}
