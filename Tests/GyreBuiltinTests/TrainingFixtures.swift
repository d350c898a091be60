import GyreBuiltin
import GyreCore

/// Labelled Cu frames for the ML tests, labelled by EMT: sampled from EMT
/// Langevin MD, or (cheaper, for tests that need few frames) an fcc supercell
/// with thermal-sized Gaussian displacements (Debye–Waller: ⟨u²⟩ ≈ 0.0069 Å² per
/// axis at 300 K, scaling with T) and small random cell strains.
enum TrainingFixtures {
    /// `count` frames from NVT MD of fcc Cu at `temperature` (K) driven by EMT,
    /// one every `every` steps after `equilibration` steps; labels are EMT's.
    static func mdFrames(
        count: Int, temperature: Double, seed: UInt64, repeat n: Int = 2, every: Int = 10, equilibration: Int = 150
    ) throws -> [Frame] {
        let settings = MDSettings(
            ensemble: .nvt, timestep: 0.002, steps: equilibration + count * every, temperature: temperature,
            sampleEvery: every, seed: seed, stream: ["ml-fixture", String(temperature)])
        var md = try MolecularDynamics(potential: EMT(), frame: fcc(repeat: n), settings: settings)
        var frames: [Frame] = []
        _ = md.run { sample in
            if sample.step > equilibration { frames.append(sample.frame) }
            return .proceed
        }
        return frames
    }

    static let latticeConstant = 3.61

    static func fcc(repeat n: Int, a: Double = latticeConstant) -> Frame {
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
        var positions: [SIMD3<Double>] = []
        for x in 0..<n {
            for y in 0..<n {
                for z in 0..<n {
                    for b in basis { positions.append((SIMD3(Double(x), Double(y), Double(z)) + b) * a) }
                }
            }
        }
        let length = Double(n) * a
        return Frame(species: Array(repeating: "Cu", count: positions.count), positions: positions, cell: .orthorhombic(length, length, length))
    }

    /// `count` EMT-labelled frames at `temperature` (K), reproducible from `seed`.
    /// With `goldFraction` > 0, that share of the sites (drawn per frame) holds Au.
    static func thermalFrames(
        count: Int, temperature: Double, seed: UInt64, repeat n: Int = 3, strain: Double = 0.01, goldFraction: Double = 0
    ) throws -> [Frame] {
        let emt = EMT()
        var generator = SeededGenerator(seed: seed, stream: ["fixture", String(temperature)])
        let sigma = (0.0069 * temperature / 300).squareRoot()
        let base = fcc(repeat: n)
        return try (0..<count).map { _ in
            var frame = base
            if goldFraction > 0 {
                frame.species = frame.species.map { _ in generator.nextUnit() < goldFraction ? "Au" : "Cu" }
            }
            var strainMatrix = Matrix3.identity
            for row in 0..<3 {
                for column in row..<3 {
                    let e = strain * (2 * generator.nextUnit() - 1) * (row == column ? 1 : 0.5)
                    var r = strainMatrix[row]
                    r[column] += e
                    strainMatrix[row] = r
                    if row != column {
                        var s = strainMatrix[column]
                        s[row] += e
                        strainMatrix[column] = s
                    }
                }
            }
            frame.positions = frame.positions.map { p in
                strainMatrix.multiply(p) + sigma * SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            }
            if let cell = frame.cell {
                frame.cell = Cell(cell.matrix * strainMatrix, pbc: cell.pbc)
            }
            let result = try emt.evaluate(frame)
            frame.energy = result.energy
            frame.forces = result.forces
            frame.virial = result.virial
            return frame
        }
    }
}
