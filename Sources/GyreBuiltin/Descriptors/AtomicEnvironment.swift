import GyreCore

/// The neighbourhood of one centre atom inside the descriptor cutoff: per
/// neighbour its radial basis values, and the l = 0, 1, 2 moments per channel.
/// A scratch value: build it once per thread and `load` it for atom after atom,
/// so the hot loops allocate nothing.
struct AtomicEnvironment {
    let settings: DescriptorSettings
    let basis: RadialBasis
    let radialCount: Int
    let angularCount: Int

    /// Neighbours of the current centre inside the cutoff.
    private(set) var count = 0
    private(set) var neighbor: [Int] = []
    private(set) var element: [Int] = []
    /// r_ij = positions[j] + shift − positions[i].
    private(set) var displacement: [SIMD3<Double>] = []
    private(set) var distance: [Double] = []
    private(set) var unit: [SIMD3<Double>] = []
    /// g_n(r) and dg_n/dr, `radialCount` per neighbour.
    private var g: [Double] = []
    private var dg: [Double] = []

    /// Moments per channel: M0 over radial channels, M1 and M2 over angular channels.
    private(set) var m0: [Double]
    private(set) var m1: [SIMD3<Double>]
    private(set) var m2: [SymmetricTensor]

    // Per-neighbour work arrays over channels (zero for channels of other elements).
    private var gr: [Double]
    private var dgr: [Double]
    private var ga: [Double]
    private var dga: [Double]
    private var s1: [Double]
    private var t2: [Double]
    private var v2: [SIMD3<Double>]
    // Adjoints ∂E/∂M for the energy-gradient path.
    private var a0: [Double]
    private var a1: [SIMD3<Double>]
    private var a2: [SymmetricTensor]

    init(settings: DescriptorSettings) {
        self.settings = settings
        basis = RadialBasis(settings: settings)
        radialCount = settings.radialCount
        angularCount = settings.angularCount
        let c = settings.radialChannels
        let a = settings.angularChannels
        m0 = Array(repeating: 0, count: c)
        m1 = Array(repeating: .zero, count: a)
        m2 = Array(repeating: .zero, count: a)
        gr = Array(repeating: 0, count: c)
        dgr = Array(repeating: 0, count: c)
        ga = Array(repeating: 0, count: a)
        dga = Array(repeating: 0, count: a)
        s1 = Array(repeating: 0, count: a)
        t2 = Array(repeating: 0, count: a)
        v2 = Array(repeating: .zero, count: a)
        a0 = Array(repeating: 0, count: c)
        a1 = Array(repeating: .zero, count: a)
        a2 = Array(repeating: .zero, count: a)
    }

    /// Collects the neighbours of atom `center` inside the cutoff and accumulates its moments.
    mutating func load(center: Int, species: [Int], positions: [SIMD3<Double>], neighbors list: NeighborList) {
        count = 0
        neighbor.removeAll(keepingCapacity: true)
        element.removeAll(keepingCapacity: true)
        displacement.removeAll(keepingCapacity: true)
        distance.removeAll(keepingCapacity: true)
        unit.removeAll(keepingCapacity: true)
        let cut2 = settings.cutoff * settings.cutoff
        let ri = positions[center]
        for k in list.range(of: center) {
            let j = list.neighbors[k]
            let d = positions[j] + list.shifts[k] - ri
            let d2 = dot(d, d)
            // Coincident atoms have no direction; they are skipped rather than producing NaN.
            guard d2 < cut2, d2 > 1e-20 else { continue }
            let r = d2.squareRoot()
            neighbor.append(j)
            element.append(species[j])
            displacement.append(d)
            distance.append(r)
            unit.append(d / r)
            count += 1
        }
        let nr = radialCount
        if g.count < count * nr {
            g = Array(repeating: 0, count: count * nr)
            dg = Array(repeating: 0, count: count * nr)
        }
        for c in m0.indices { m0[c] = 0 }
        for a in m1.indices { m1[a] = .zero; m2[a] = .zero }
        g.withUnsafeMutableBufferPointer { gp in
            dg.withUnsafeMutableBufferPointer { dgp in
                guard let gBase = gp.baseAddress, let dgBase = dgp.baseAddress else { return }
                for k in 0..<count {
                    basis.evaluate(distance[k], values: gBase + k * nr, slopes: dgBase + k * nr)
                    let e = element[k]
                    let u = unit[k]
                    for n in 0..<nr { m0[e * nr + n] += gBase[k * nr + n] }
                    for n in 0..<angularCount {
                        let w = gBase[k * nr + n]
                        m1[e * angularCount + n] += w * u
                        m2[e * angularCount + n] += SymmetricTensor.outer(u, weight: w)
                    }
                }
            }
        }
    }

    /// Writes the `settings.featureCount` features of the current centre into `out`.
    func features(into out: UnsafeMutablePointer<Double>) {
        var f = 0
        let c = m0.count, a = m1.count
        for p in 0..<c { out[f] = m0[p]; f += 1 }
        for p in 0..<c { for q in p..<c { out[f] = m0[p] * m0[q]; f += 1 } }
        for p in 0..<a { for q in p..<a { out[f] = dot(m1[p], m1[q]); f += 1 } }
        for p in 0..<a { for q in p..<a { out[f] = m2[p].contracted(with: m2[q]); f += 1 } }
    }

    /// Fills the per-channel basis values of neighbour k (zero outside its element's channels).
    private mutating func loadChannels(of k: Int) {
        let nr = radialCount, na = angularCount
        let e = element[k]
        for p in gr.indices { gr[p] = 0; dgr[p] = 0 }
        for p in ga.indices { ga[p] = 0; dga[p] = 0 }
        for n in 0..<nr {
            gr[e * nr + n] = g[k * nr + n]
            dgr[e * nr + n] = dg[k * nr + n]
        }
        for n in 0..<na {
            ga[e * na + n] = g[k * nr + n]
            dga[e * na + n] = dg[k * nr + n]
        }
    }

    /// ∂D_f/∂r_ij of every feature of the centre with respect to the displacement
    /// of neighbour k, written component-wise into x, y, z (each `featureCount` long).
    mutating func featureGradient(neighbor k: Int, x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>) {
        loadChannels(of: k)
        let u = unit[k]
        let invR = 1 / distance[k]
        let c = m0.count, a = m1.count
        var f = 0
        @inline(__always) func put(_ v: SIMD3<Double>) {
            x[f] = v.x; y[f] = v.y; z[f] = v.z
            f += 1
        }
        for p in 0..<c { put(dgr[p] * u) }
        for p in 0..<c {
            for q in p..<c { put((dgr[p] * m0[q] + dgr[q] * m0[p]) * u) }
        }
        for p in 0..<a {
            s1[p] = dot(u, m1[p])
            v2[p] = m2[p].applied(to: u)
            t2[p] = dot(u, v2[p])
        }
        // J_pᵀ M1_q = (g'_p − g_p/r)(r̂·M1_q) r̂ + (g_p/r) M1_q, symmetrised over (p, q).
        for p in 0..<a {
            let radialP = dga[p] - ga[p] * invR
            let tangentP = ga[p] * invR
            for q in p..<a {
                let along = radialP * s1[q] + (dga[q] - ga[q] * invR) * s1[p]
                put(along * u + tangentP * m1[q] + ga[q] * invR * m1[p])
            }
        }
        // K_p(M2_q) = (g'_p − 2g_p/r)(r̂ᵀM2_q r̂) r̂ + (2g_p/r) M2_q r̂, symmetrised over (p, q).
        for p in 0..<a {
            let radialP = dga[p] - 2 * ga[p] * invR
            let tangentP = 2 * ga[p] * invR
            for q in p..<a {
                let along = radialP * t2[q] + (dga[q] - 2 * ga[q] * invR) * t2[p]
                put(along * u + tangentP * v2[q] + 2 * ga[q] * invR * v2[p])
            }
        }
    }

    /// Energy of the centre, E_i = bias + Σ_f w_f D_f, and ∂E_i/∂r_ij for every
    /// neighbour into `gradients` (resized to `count`). Uses the adjoints ∂E/∂M,
    /// so the cost is O(neighbours × channels) rather than × features.
    mutating func energy(weights w: UnsafePointer<Double>, bias: Double, gradients: inout [SIMD3<Double>]) -> Double {
        let c = m0.count, a = m1.count
        var energy = bias
        var f = 0
        for p in 0..<c { a0[p] = w[f]; energy += w[f] * m0[p]; f += 1 }
        for p in 0..<a { a1[p] = .zero; a2[p] = .zero }
        for p in 0..<c {
            for q in p..<c {
                let wf = w[f]; f += 1
                energy += wf * m0[p] * m0[q]
                a0[p] += wf * m0[q]
                a0[q] += wf * m0[p]
            }
        }
        for p in 0..<a {
            for q in p..<a {
                let wf = w[f]; f += 1
                energy += wf * dot(m1[p], m1[q])
                a1[p] += wf * m1[q]
                a1[q] += wf * m1[p]
            }
        }
        for p in 0..<a {
            for q in p..<a {
                let wf = w[f]; f += 1
                energy += wf * m2[p].contracted(with: m2[q])
                a2[p] += wf * m2[q]
                a2[q] += wf * m2[p]
            }
        }
        gradients.removeAll(keepingCapacity: true)
        let nr = radialCount, na = angularCount
        for k in 0..<count {
            let e = element[k]
            let u = unit[k]
            let invR = 1 / distance[k]
            var along = 0.0
            var tangent = SIMD3<Double>.zero
            for n in 0..<nr { along += a0[e * nr + n] * dg[k * nr + n] }
            for n in 0..<na {
                let ch = e * na + n
                let gv = g[k * nr + n], dgv = dg[k * nr + n]
                let v1 = a1[ch]
                along += (dgv - gv * invR) * dot(u, v1)
                tangent += gv * invR * v1
                let tv = a2[ch].applied(to: u)
                along += (dgv - 2 * gv * invR) * dot(u, tv)
                tangent += 2 * gv * invR * tv
            }
            gradients.append(along * u + tangent)
        }
        return energy
    }
}
