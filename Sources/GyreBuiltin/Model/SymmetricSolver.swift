/// A dense symmetric positive-definite solve by Cholesky factorisation, for the
/// ridge normal equations (a few hundred unknowns at most).
enum SymmetricSolver {
    /// Solves M x = b for symmetric M given by its upper triangle in row-major
    /// `matrix` (n × n). Returns nil when M is not positive definite.
    static func solve(_ matrix: [Double], _ rhs: [Double], n: Int) -> [Double]? {
        guard matrix.count == n * n, rhs.count == n else { return nil }
        // Lower factor L with M = L Lᵀ, row-major; reads M's upper triangle as (min, max).
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[j * n + i]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = rhs
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
