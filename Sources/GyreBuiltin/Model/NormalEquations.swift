/// Accumulated least-squares normal equations AᵀA x = Aᵀb (upper triangle of
/// AᵀA, row-major), built row block by row block.
struct NormalEquations: Sendable {
    let size: Int
    var gram: [Double]
    var rhs: [Double]
    /// Σ weight over accumulated frames, to normalise the loss.
    var totalWeight: Double = 0

    init(size: Int) {
        self.size = size
        gram = Array(repeating: 0, count: size * size)
        rhs = Array(repeating: 0, count: size)
    }

    /// Adds weight·AᵀA and weight·Aᵀb for a dense row-major block A (rows × size).
    mutating func add(block a: [Double], targets b: [Double], rows: Int, weight: Double) {
        let p = size
        gram.withUnsafeMutableBufferPointer { gp in
            rhs.withUnsafeMutableBufferPointer { hp in
                a.withUnsafeBufferPointer { ap in
                    guard let g = gp.baseAddress, let h = hp.baseAddress, let base = ap.baseAddress else { return }
                    for r in 0..<rows {
                        let row = base + r * p
                        let target = weight * b[r]
                        for i in 0..<p {
                            let ai = row[i]
                            if ai == 0 { continue }
                            h[i] += target * ai
                            let wai = weight * ai
                            let gi = g + i * p
                            // Contiguous axpy over the rest of the row: vectorises.
                            for j in i..<p { gi[j] += wai * row[j] }
                        }
                    }
                }
            }
        }
        totalWeight += weight
    }

    /// Adds another accumulation (the caller merges chunks in a fixed order).
    mutating func merge(_ other: NormalEquations) {
        for k in gram.indices { gram[k] += other.gram[k] }
        for k in rhs.indices { rhs[k] += other.rhs[k] }
        totalWeight += other.totalWeight
    }
}
