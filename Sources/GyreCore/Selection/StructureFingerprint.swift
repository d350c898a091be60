/// A per-frame descriptor for the `diverse` strategy: for each element pair,
/// a smoothed histogram of interatomic distances up to a cutoff, per atom.
/// Invariant to atom order, translation, rotation and the choice of periodic
/// cell; two near-identical frames get near-identical fingerprints.
struct StructureFingerprint: Sendable {
    var values: [Double]

    /// A fingerprint with these values, for samplers tested on plain points.
    init(values: [Double]) { self.values = values }

    /// The fingerprint of `frame` over the element pairs of `elements` (sorted, shared by all
    /// frames compared, so vectors line up).
    init(_ frame: Frame, elements: [String], cutoff: Double, bins: Int) {
        let ne = elements.count
        let pairs = ne * (ne + 1) / 2
        let nb = max(1, bins)
        var v = [Double](repeating: 0, count: pairs * nb)
        var index: [String: Int] = [:]
        for (k, e) in elements.enumerated() { index[e] = k }
        let types = frame.species.map { index[$0] ?? 0 }
        let width = cutoff / Double(nb)
        PairDistances.forEach(in: frame, cutoff: cutoff) { i, j, r in
            var a = types[i], b = types[j]
            if a > b { swap(&a, &b) }
            let pair = a * ne - a * (a - 1) / 2 + (b - a)
            // Linear split between the two nearest bin centres keeps the vector continuous in r.
            let x = r / width - 0.5
            let lo = Int(x.rounded(.down))
            let t = x - Double(lo)
            // A self-image pair is seen once, other pairs once per (i<j): weight both as 2 per atom-pair.
            let w = i == j ? 1.0 : 2.0
            if lo >= 0 && lo < nb { v[pair * nb + lo] += w * (1 - t) }
            if lo + 1 >= 0 && lo + 1 < nb { v[pair * nb + lo + 1] += w * t }
            return true
        }
        let perAtom = 1 / Double(max(1, frame.count))
        values = v.map { $0 * perAtom }
    }

    func distance(to other: StructureFingerprint) -> Double {
        var s = 0.0
        for k in 0..<min(values.count, other.values.count) {
            let d = values[k] - other.values[k]
            s += d * d
        }
        return s.squareRoot()
    }
}
