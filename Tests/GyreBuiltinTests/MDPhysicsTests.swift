import Foundation
import GyreCore
import Testing

@testable import GyreBuiltin

/// MD is physical: energy conserved in NVE, target temperature in NVT, target pressure in NPT.
/// Cu with EMT, 108 atoms (3×3×3 fcc cubic cells).
struct MDPhysicsTests {
    static func copper(a: Double = 3.59) -> Frame {
        PotentialsFixtures.lattice("fcc", element: "Cu", a: a, repeat: 3)
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }

    static func std(_ x: [Double]) -> Double {
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, x.count))).squareRoot()
    }

    @Test func nveConservesEnergy() throws {
        let settings = MDSettings(ensemble: .nve, timestep: 0.001, steps: 10_000, temperature: 600, sampleEvery: 10, seed: 1)
        var md = try MolecularDynamics(potential: EMT(), frame: Self.copper(), settings: settings)
        var total: [Double] = []
        let outcome = md.run { s in
            total.append(s.frame.energy.map { $0 + s.kineticEnergy } ?? .nan)
            return .proceed
        }
        #expect(outcome.reason == .completed)
        let atoms = Double(md.positions.count)
        // Drift: mean total energy of the last picosecond minus that of the first, per atom.
        let window = 100
        let drift = abs(Self.mean(Array(total.suffix(window))) - Self.mean(Array(total.prefix(window)))) / atoms
        let spread = ((total.max() ?? 0) - (total.min() ?? 0)) / atoms
        #expect(drift < 1e-3, "drift \(drift * 1000) meV/atom over 10 ps")
        #expect(spread < 2e-3, "total-energy excursion \(spread * 1000) meV/atom")
        #expect(outcome.neighborRebuilds < 2000, "skin reuse: \(outcome.neighborRebuilds) rebuilds in 10000 steps")
    }

    /// Liquid copper: atoms diffuse, so the neighbour list is rebuilt many times.
    @Test func nveConservesEnergyThroughListRebuilds() throws {
        let settings = MDSettings(ensemble: .nve, timestep: 0.001, steps: 2_000, temperature: 4000, sampleEvery: 10, seed: 7, skin: 0.5)
        var md = try MolecularDynamics(potential: EMT(), frame: Self.copper(), settings: settings)
        var total: [Double] = []
        let outcome = md.run { s in
            total.append(s.frame.energy.map { $0 + s.kineticEnergy } ?? .nan)
            return .proceed
        }
        let atoms = Double(md.positions.count)
        let drift = abs(Self.mean(Array(total.suffix(20))) - Self.mean(Array(total.prefix(20)))) / atoms
        #expect(drift < 1e-3, "drift \(drift * 1000) meV/atom over 2 ps of liquid")
        #expect(outcome.neighborRebuilds > 10, "only \(outcome.neighborRebuilds) rebuilds")
    }

    @Test func nvtHoldsTemperature() throws {
        let target = 500.0
        let settings = MDSettings(ensemble: .nvt, timestep: 0.002, steps: 10_000, temperature: target, sampleEvery: 5, seed: 2)
        var md = try MolecularDynamics(potential: EMT(), frame: Self.copper(), settings: settings)
        var temperatures: [Double] = []
        _ = md.run { s in
            if s.time >= 2 { temperatures.append(s.temperature) }  // 2 ps to equilibrate, 18 ps averaged
            return .proceed
        }
        let mean = Self.mean(temperatures)
        #expect(abs(mean - target) / target < 0.05, "mean temperature \(mean) K over 18 ps, target \(target) K")
    }

    @Test func nptHoldsPressure() throws {
        let target = 1000.0  // bar
        let settings = MDSettings(ensemble: .npt, timestep: 0.002, steps: 5_000, temperature: 300, pressure: target,
                                  sampleEvery: 5, seed: 3, barostatDamping: 0.5)
        // Start 1.5 % expanded: the barostat must pull the cell in.
        let start = Self.copper(a: 3.65)
        var md = try MolecularDynamics(potential: EMT(), frame: start, settings: settings)
        var pressures: [Double] = []
        let outcome = md.run { s in
            if s.time >= 4, let p = s.pressure { pressures.append(p) }
            return .proceed
        }
        let mean = Self.mean(pressures)
        let fluctuation = Self.std(pressures)
        #expect(abs(mean - target) < fluctuation, "mean pressure \(mean) bar, target \(target), fluctuation \(fluctuation)")
        let volume = try #require(outcome.final.frame.cell?.volume)
        let startVolume = try #require(start.cell?.volume)
        #expect(volume < startVolume, "the cell shrank from the expanded start")
    }
}
