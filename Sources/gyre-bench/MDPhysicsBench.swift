import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Bench.MD {
    /// The numbers behind MDPhysicsTests at full length in release mode: NVE drift,
    /// NVT mean temperature, NPT mean pressure for Cu (EMT, 108 atoms).
    static func physicsReport() throws {
        let copper = { (a: Double) -> Frame in
            var positions: [SIMD3<Double>] = []
            let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0)]
            for x in 0..<3 {
                for y in 0..<3 {
                    for z in 0..<3 {
                        for b in basis { positions.append(a * (b + SIMD3(Double(x), Double(y), Double(z)))) }
                    }
                }
            }
            return Frame(species: Array(repeating: "Cu", count: positions.count), positions: positions,
                         cell: .orthorhombic(3 * a, 3 * a, 3 * a))
        }
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }
        func std(_ x: [Double]) -> Double {
            let m = mean(x)
            return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, x.count))).squareRoot()
        }

        var nve = try MolecularDynamics(potential: EMT(), frame: copper(3.59),
                                        settings: MDSettings(ensemble: .nve, timestep: 0.001, steps: 10_000, temperature: 600, sampleEvery: 10, seed: 1))
        var total: [Double] = []
        let nveOutcome = nve.run { s in
            total.append((s.frame.energy ?? .nan) + s.kineticEnergy)
            return .proceed
        }
        let drift = abs(mean(Array(total.suffix(100))) - mean(Array(total.prefix(100)))) / 108 * 1000
        let excursion = ((total.max() ?? 0) - (total.min() ?? 0)) / 108 * 1000
        print(String(format: "NVE Cu EMT 108 atoms, 1 fs, 10 ps, 600 K start: drift %.2e meV/atom, max excursion %.2e meV/atom, %d list builds",
                     drift, excursion, nveOutcome.neighborRebuilds))

        var nvt = try MolecularDynamics(potential: EMT(), frame: copper(3.59),
                                        settings: MDSettings(ensemble: .nvt, timestep: 0.002, steps: 10_000, temperature: 500, sampleEvery: 5, seed: 2))
        var temperatures: [Double] = []
        _ = nvt.run { s in
            if s.time >= 2 { temperatures.append(s.temperature) }
            return .proceed
        }
        print(String(format: "NVT Langevin 500 K, 2 fs, 20 ps (18 ps averaged): mean T %.2f K (%.2f %%), std %.1f K",
                     mean(temperatures), 100 * (mean(temperatures) - 500) / 500, std(temperatures)))

        var npt = try MolecularDynamics(potential: EMT(), frame: copper(3.65),
                                        settings: MDSettings(ensemble: .npt, timestep: 0.002, steps: 5_000, temperature: 300, pressure: 1000,
                                                             sampleEvery: 5, seed: 3, barostatDamping: 0.5))
        var pressures: [Double] = []
        var volumes: [Double] = []
        _ = npt.run { s in
            if s.time >= 4, let p = s.pressure {
                pressures.append(p)
                volumes.append(s.frame.cell?.volume ?? .nan)
            }
            return .proceed
        }
        print(String(format: "NPT Berendsen 1000 bar, 300 K, 10 ps (last 6 ps): mean P %.1f bar, std %.1f bar, mean a %.4f Å (start 3.65)",
                     mean(pressures), std(pressures), pow(mean(volumes) / 27, 1.0 / 3)))
    }
}
