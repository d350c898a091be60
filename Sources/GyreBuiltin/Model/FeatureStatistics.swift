/// Mean and spread of each feature per element over training atoms, combined
/// chunk by chunk in a fixed order (Chan et al.'s pairwise update) so the
/// result does not depend on how many threads computed the chunks.
struct FeatureStatistics: Sendable {
    var count: [Double]
    var mean: [[Double]]
    /// Sum of squared deviations from the mean.
    var squares: [[Double]]

    init(elements: Int, features: Int) {
        count = Array(repeating: 0, count: elements)
        mean = Array(repeating: Array(repeating: 0, count: features), count: elements)
        squares = mean
    }

    /// Welford's update with one atom's features.
    mutating func add(element e: Int, features: UnsafePointer<Double>) {
        count[e] += 1
        let n = count[e]
        for f in mean[e].indices {
            let delta = features[f] - mean[e][f]
            mean[e][f] += delta / n
            squares[e][f] += delta * (features[f] - mean[e][f])
        }
    }

    mutating func merge(_ other: FeatureStatistics) {
        for e in count.indices where other.count[e] > 0 {
            let na = count[e], nb = other.count[e], n = na + nb
            for f in mean[e].indices {
                let delta = other.mean[e][f] - mean[e][f]
                mean[e][f] += delta * nb / n
                squares[e][f] += other.squares[e][f] + delta * delta * na * nb / n
            }
            count[e] = n
        }
    }

    /// Standard deviations, with 1 for constant or unseen features so that they
    /// pass through unscaled (their weights are then fixed by the ridge prior).
    var scale: [[Double]] {
        count.indices.map { e in
            mean[e].indices.map { f in
                let variance = count[e] > 1 ? squares[e][f] / count[e] : 0
                let sd = variance.squareRoot()
                return sd > 1e-10 * max(1, abs(mean[e][f])) ? sd : 1
            }
        }
    }
}
