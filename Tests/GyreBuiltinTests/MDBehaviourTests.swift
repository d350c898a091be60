import GyreCore
import Testing

@testable import GyreBuiltin

/// MD bookkeeping: determinism, sampling cadence, early stops, momentum, deviation formulas.
struct MDBehaviourTests {
    static let copper = PotentialsFixtures.lattice("fcc", element: "Cu", a: 3.61, repeat: 2)

    @Test func sameSeedSameTrajectory() throws {
        let settings = MDSettings(ensemble: .nvt, steps: 60, temperature: 800, sampleEvery: 20, seed: 9)
        var a = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: settings)
        var b = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: settings)
        _ = a.run()
        _ = b.run()
        #expect(a.positions == b.positions)
        #expect(a.velocities == b.velocities)
        var other = settings
        other.seed = 10
        var c = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: other)
        _ = c.run()
        #expect(c.positions != a.positions)
    }

    @Test func initialVelocitiesHaveTheTemperatureAndNoMomentum() throws {
        let md = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: MDSettings(ensemble: .nve, temperature: 450, seed: 4))
        let s = md.snapshot()
        #expect(abs(s.temperature - 450) < 1e-9)
        var p = SIMD3<Double>.zero
        for i in s.velocities.indices { p += md.masses[i] * s.velocities[i] }
        #expect(norm(p) < 1e-10)
    }

    @Test func hookSeesEverySampleAndCanStop() throws {
        let settings = MDSettings(ensemble: .nve, steps: 100, temperature: 300, sampleEvery: 25, seed: 1)
        var md = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: settings)
        var steps: [Int] = []
        let outcome = md.run { s in
            steps.append(s.step)
            return s.step == 50 ? .stop(reason: "enough") : .proceed
        }
        #expect(steps == [0, 25, 50])
        #expect(outcome.reason == .stoppedByHook("enough"))
        #expect(outcome.steps == 50)
    }

    @Test func stopsWhenAtomsComeTooClose() throws {
        var frame = Self.copper
        frame.positions[1] = frame.positions[0] + SIMD3(0.5, 0, 0)
        let settings = MDSettings(ensemble: .nve, steps: 10, temperature: 0, sampleEvery: 1, seed: 1, minDistance: 1.0)
        var md = try MolecularDynamics(potential: EMT(), frame: frame, settings: settings)
        let outcome = md.run()
        guard case let .atomsTooClose(i, j, d) = outcome.reason else {
            Issue.record("expected a min-distance stop, got \(outcome.reason)")
            return
        }
        #expect(Set([i, j]) == [0, 1])
        #expect(abs(d - 0.5) < 1e-12)
        #expect(outcome.reason.code == "min-distance")
    }

    /// The reused (skin) list, with shifts carried along by the barostat's cell changes,
    /// gives the same energy and forces as a list built from scratch at every sample.
    @Test(arguments: [MDEnsemble.nvt, .npt])
    func reusedNeighborListMatchesAFreshOne(_ ensemble: MDEnsemble) throws {
        let settings = MDSettings(ensemble: ensemble, timestep: 0.002, steps: 400, temperature: 2500, pressure: 20_000,
                                  sampleEvery: 20, seed: 5, barostatDamping: 0.2, compressibility: 1e-5, skin: 0.3)
        var md = try MolecularDynamics(potential: EMT(), frame: Self.copper, settings: settings)
        var worst = 0.0
        let outcome = try md.run { s in
            let fresh = try EMT().evaluate(s.frame)
            worst = max(worst, abs(fresh.energy - (s.frame.energy ?? .nan)),
                        PotentialsFixtures.maxAbs(fresh.forces, s.frame.forces ?? []))
            return .proceed
        }
        #expect(worst < 1e-9, "reused list differs from a fresh one by \(worst)")
        #expect(outcome.neighborRebuilds > 0, "the run should have needed rebuilds")
        if ensemble == .npt {
            #expect(outcome.final.frame.cell != Self.copper.cell)
        }
    }

    /// Two Lennard-Jones atoms almost on top of each other: the run must end with a
    /// recorded reason, not a crash.
    @Test func blowUpEndsTheRunWithAReason() throws {
        var frame = Self.copper
        frame.positions[1] = frame.positions[0] + SIMD3(0.05, 0, 0)
        let lj = LennardJones(elements: ["Cu"], epsilon: 0.4, sigma: 2.3, cutoff: 5.0)
        let settings = MDSettings(ensemble: .nve, timestep: 0.002, steps: 50, temperature: 0, sampleEvery: 10, seed: 1)
        var md = try MolecularDynamics(potential: lj, frame: frame, settings: settings)
        let outcome = md.run()
        #expect(outcome.reason == .nonFinite)
        #expect(outcome.steps < 50)
    }

    @Test func nptNeedsAPeriodicCell() {
        var frame = Self.copper
        frame.cell = nil
        #expect(throws: GyreError.self) {
            _ = try MolecularDynamics(potential: EMT(), frame: frame, settings: MDSettings(ensemble: .npt))
        }
    }

    @Test func deviationFollowsDeePMDFormulas() {
        // Two models, two atoms: forces differ by ±d on atom 0 only.
        let w1 = Matrix3.diagonal(2, 4, 6), w2 = Matrix3.diagonal(4, 4, 2)
        let r1 = PotentialResult(energy: 1.0, forces: [SIMD3(1, 0, 0), .zero], virial: w1)
        let r2 = PotentialResult(energy: 3.0, forces: [SIMD3(-1, 0, 0), .zero], virial: w2)
        let d = ModelDeviation(results: [r1, r2], atoms: 2)
        #expect(d.maxForce == 1)
        #expect(d.minForce == 0)
        #expect(d.avgForce == 0.5)
        // Per-atom virials: xx 1 vs 2 → std 0.5; zz 3 vs 1 → std 1; others 0.
        #expect(abs(d.maxVirial - 1) < 1e-15)
        #expect(d.minVirial == 0)
        #expect(abs(d.avgVirial - ((0.25 + 1) / 9).squareRoot()) < 1e-15)
        #expect(abs(d.energy - 0.5) < 1e-15)
    }

    @Test func identicalModelsDoNotDeviate() throws {
        let (d, results) = try ModelDeviation.evaluate([EMT(), EMT()], species: Self.copper.species,
                                                       positions: Self.copper.positions, cell: Self.copper.cell)
        #expect(results.count == 2)
        #expect(d.maxForce == 0 && d.maxVirial == 0 && d.energy == 0)
    }
}
