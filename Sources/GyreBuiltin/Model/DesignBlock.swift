import GyreCore

/// The rows one frame contributes to the linear least-squares problem, already
/// scaled by the loss weights: 3N force rows, one energy row and, when labelled,
/// nine virial rows. Columns are per element: [reference energy, standardised features…].
struct DesignBlock {
    let settings: DescriptorSettings
    let mean: [[Double]]
    let scale: [[Double]]
    let options: MLTrainingOptions
    let featureCount: Int
    /// Columns per element block.
    var blockWidth: Int { featureCount + 1 }
    var parameterCount: Int { settings.elements.count * blockWidth }

    private var environment: AtomicEnvironment
    private var features: [Double]
    private var gx: [Double], gy: [Double], gz: [Double]
    private var centre: [Double]
    private var inverseScale: [Double]
    private(set) var matrix: [Double] = []
    private(set) var targets: [Double] = []
    private(set) var rows = 0

    init(settings: DescriptorSettings, mean: [[Double]], scale: [[Double]], options: MLTrainingOptions) {
        self.settings = settings
        self.mean = mean
        self.scale = scale
        self.options = options
        featureCount = settings.featureCount
        environment = AtomicEnvironment(settings: settings)
        features = Array(repeating: 0, count: featureCount)
        gx = features
        gy = features
        gz = features
        centre = Array(repeating: 0, count: 3 * featureCount)
        inverseScale = features
    }

    /// Builds the rows of `frame` into `matrix` / `targets`.
    mutating func build(_ frame: TrainingFrame) {
        let n = frame.species.count
        let p = parameterCount
        let width = blockWidth
        let nf = featureCount
        let hasVirial = frame.virial != nil
        let energyRow = 3 * n
        let virialRow = 3 * n + 1
        rows = 3 * n + 1 + (hasVirial ? 9 : 0)
        matrix.removeAll(keepingCapacity: true)
        matrix.append(contentsOf: repeatElement(0, count: rows * p))
        targets.removeAll(keepingCapacity: true)
        targets.append(contentsOf: repeatElement(0, count: rows))

        for i in 0..<n {
            let e = frame.species[i]
            let column = e * width + 1
            environment.load(center: i, species: frame.species, positions: frame.frame.positions, neighbors: frame.neighbors)
            features.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                environment.features(into: base)
            }
            let mu = mean[e], sigma = scale[e]
            matrix[energyRow * p + e * width] += 1
            for f in 0..<nf {
                matrix[energyRow * p + column + f] += (features[f] - mu[f]) / sigma[f]
            }
            for f in 0..<(3 * nf) { centre[f] = 0 }
            for f in 0..<nf { inverseScale[f] = 1 / sigma[f] }
            for k in 0..<environment.count {
                withGradients(neighbor: k)
                scatter(neighbor: environment.neighbor[k], displacement: environment.displacement[k], centre: i, column: column, virialRow: hasVirial ? virialRow : nil)
            }
            matrix.withUnsafeMutableBufferPointer { m in
                centre.withUnsafeBufferPointer { c in
                    guard let mb = m.baseAddress, let cb = c.baseAddress else { return }
                    for alpha in 0..<3 {
                        let row = mb + (3 * i + alpha) * p + column
                        let source = cb + alpha * nf
                        for f in 0..<nf { row[f] += source[f] }
                    }
                }
            }
        }

        // Loss weights: each frame counts equally, energies and virials per atom.
        let atoms = Double(n)
        let forceScale = (options.forceWeight / (3 * atoms)).squareRoot()
        let energyScale = options.energyWeight.squareRoot() / atoms
        let virialScale = (options.virialWeight / 9).squareRoot() / atoms
        for j in 0..<n {
            for alpha in 0..<3 { targets[3 * j + alpha] = frame.forces[j][alpha] }
        }
        targets[energyRow] = frame.energy
        if let w = frame.virial {
            for alpha in 0..<3 {
                for beta in 0..<3 { targets[virialRow + 3 * alpha + beta] = w[alpha][beta] }
            }
        }
        for row in 0..<rows {
            let factor = row < energyRow ? forceScale : (row == energyRow ? energyScale : virialScale)
            targets[row] *= factor
            for c in 0..<p { matrix[row * p + c] *= factor }
        }
    }

    /// Adds one neighbour's feature gradients (scaled to standardised features) to the
    /// force rows of the neighbour (−) and the centre (+, collected in `centre`), and
    /// to the virial rows W_αβ = −Σ g_α r_β when the frame has a virial.
    private mutating func scatter(neighbor j: Int, displacement r: SIMD3<Double>, centre i: Int, column: Int, virialRow: Int?) {
        let p = parameterCount, nf = featureCount
        matrix.withUnsafeMutableBufferPointer { m in
            centre.withUnsafeMutableBufferPointer { c in
                gx.withUnsafeMutableBufferPointer { x in
                    gy.withUnsafeMutableBufferPointer { y in
                        gz.withUnsafeMutableBufferPointer { z in
                            inverseScale.withUnsafeBufferPointer { s in
                                guard let mb = m.baseAddress, let cb = c.baseAddress, let xb = x.baseAddress,
                                    let yb = y.baseAddress, let zb = z.baseAddress, let sb = s.baseAddress
                                else { return }
                                // Scale in place so the loops below are plain vector adds.
                                for f in 0..<nf {
                                    xb[f] *= sb[f]
                                    yb[f] *= sb[f]
                                    zb[f] *= sb[f]
                                }
                                let rowX = mb + (3 * j) * p + column
                                let rowY = rowX + p
                                let rowZ = rowY + p
                                for f in 0..<nf {
                                    rowX[f] -= xb[f]
                                    rowY[f] -= yb[f]
                                    rowZ[f] -= zb[f]
                                }
                                let cx = cb, cy = cb + nf, cz = cb + 2 * nf
                                for f in 0..<nf {
                                    cx[f] += xb[f]
                                    cy[f] += yb[f]
                                    cz[f] += zb[f]
                                }
                                guard let virialRow else { return }
                                for alpha in 0..<3 {
                                    let g = alpha == 0 ? xb : (alpha == 1 ? yb : zb)
                                    for beta in 0..<3 {
                                        let row = mb + (virialRow + 3 * alpha + beta) * p + column
                                        let rb = -r[beta]
                                        for f in 0..<nf { row[f] += rb * g[f] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func withGradients(neighbor k: Int) {
        gx.withUnsafeMutableBufferPointer { x in
            gy.withUnsafeMutableBufferPointer { y in
                gz.withUnsafeMutableBufferPointer { z in
                    guard let xb = x.baseAddress, let yb = y.baseAddress, let zb = z.baseAddress else { return }
                    environment.featureGradient(neighbor: k, x: xb, y: yb, z: zb)
                }
            }
        }
    }
}
