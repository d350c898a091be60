/// "Did you mean …?" for mistyped keys and names: the closest candidate by edit
/// distance, if it is close enough to be a plausible typo.
enum Suggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        // At most three edits are ever allowed: a much longer word is no typo, and
        // skipping it keeps a hostile multi-megabyte scalar from costing seconds.
        guard word.utf8.count <= 256 else { return nil }
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates where abs(candidate.count - lowered.count) <= 3 {
            let d = distance(lowered, candidate.lowercased())
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        // Allow about one edit per three letters, at least one, at most three.
        if let (candidate, d) = best, d <= min(3, max(1, candidate.count / 3)) { return candidate }
        return sharedStem(word: lowered, among: candidates)
    }

    /// A cut-short or mangled long key (`convergn` for `converged_when`, `temp`
    /// for `temperatures`): the one candidate sharing a stem of at least four
    /// letters that covers most of the word.
    private static func sharedStem(word: String, among candidates: [String]) -> String? {
        let w = Array(word)
        guard w.count >= 4 else { return nil }
        var best: (String, Int)?
        var tie = false
        for candidate in candidates {
            let c = Array(candidate.lowercased())
            var n = 0
            while n < w.count, n < c.count, w[n] == c[n] { n += 1 }
            guard n >= 4, 2 * n >= w.count + 1 else { continue }
            if n > (best?.1 ?? 0) {
                best = (candidate, n)
                tie = false
            } else if n == best?.1 {
                tie = true
            }
        }
        return tie ? nil : best?.0
    }

    static func phrase(for word: String, among candidates: [String]) -> String {
        if let s = closest(to: word, among: candidates) { return "; did you mean `\(s)`?" }
        return ""
    }

    /// Damerau–Levenshtein distance (optimal string alignment): a swap of two letters counts once.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
