/// The jobs (or array elements) the executor waits on, by the id squeue
/// prints (`123`, or `123_4` for element 4 of array 123), with their tasks.
struct SlurmJobBook {
    private struct Entry {
        var tasks: [TaskSpec]
        var since: ContinuousClock.Instant
        /// Consecutive polls in which the scheduler did not report the job
        /// (or reported it completed before all exit-status files appeared).
        var unseenPolls = 0
    }

    /// Polls a job may go unseen before it is judged by its files: a job
    /// just submitted is always in squeue, so only a vanished one stays unseen.
    static let unseenLimit = 3

    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    /// Job ids in submission order.
    var ids: [String] { order }

    mutating func attach(_ spec: TaskSpec, to id: String) {
        if entries[id] == nil {
            entries[id] = Entry(tasks: [], since: .now)
            order.append(id)
        }
        entries[id]?.tasks.append(spec)
    }

    func tasks(of id: String) -> [TaskSpec] { entries[id]?.tasks ?? [] }

    func elapsed(_ id: String) -> Duration {
        entries[id].map { ContinuousClock.now - $0.since } ?? .zero
    }

    /// Counts one more poll without the job; true once it has been unseen
    /// `unseenLimit` times.
    mutating func notSeen(_ id: String) -> Bool {
        guard entries[id] != nil else { return true }
        entries[id]?.unseenPolls += 1
        return (entries[id]?.unseenPolls ?? 0) >= Self.unseenLimit
    }

    /// The scheduler reported the job again: a past absence was a hiccup.
    mutating func seen(_ id: String) {
        entries[id]?.unseenPolls = 0
    }

    mutating func remove(_ id: String) {
        entries[id] = nil
        order.removeAll { $0 == id }
    }
}
