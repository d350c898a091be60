import Foundation

/// Watches gyre's pending jobs for waits worth a warning: a reason that never
/// clears by itself at once, any other once the job has pended longer than
/// `patience`. Each job is warned about once per reason; the warnings still
/// standing are kept for `gyre status`.
struct SlurmPendingWatch {
    /// How long a job may pend for an ordinary reason before a warning.
    let patience: Duration
    private var pendingSince: [String: ContinuousClock.Instant] = [:]
    private var warned: Set<String> = []
    /// Job id → reason, for the pending jobs warned about.
    private var standing: [String: String] = [:]

    init(patience: Duration) {
        self.patience = patience
    }

    /// Takes this poll's pending jobs (job id → squeue reason; every other job
    /// of the executor is no longer pending) and returns the new warnings,
    /// one line per reason.
    mutating func observe(pending: [String: String], now: ContinuousClock.Instant = .now) -> [String] {
        pendingSince = pendingSince.filter { pending[$0.key] != nil }
        standing = standing.filter { pending[$0.key] == $0.value }
        var fresh: [String: [String]] = [:]
        for (id, reason) in pending {
            let since = pendingSince[id] ?? now
            pendingSince[id] = since
            let due = SlurmPendingReason.blocking(reason) != nil || now - since >= patience
            guard due, warned.insert("\(id) \(reason)").inserted else { continue }
            standing[id] = reason
            fresh[reason, default: []].append(id)
        }
        return Self.lines(fresh)
    }

    /// The warnings that still apply, one line per reason.
    var standingWarnings: [String] {
        Self.lines(Dictionary(grouping: standing.keys, by: { standing[$0] ?? "" }))
    }

    private static func lines(_ byReason: [String: [String]]) -> [String] {
        byReason.keys.sorted().map { reason in
            let ids = (byReason[reason] ?? []).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
            let advice = SlurmPendingReason.blocking(reason) ?? SlurmPendingReason.longWait(reason)
            let jobs = ids.count == 1 ? "job \(shown) is" : "\(ids.count) jobs (\(shown)) are"
            return "slurm: \(jobs) pending (\(reason)): \(advice)"
        }
    }
}
