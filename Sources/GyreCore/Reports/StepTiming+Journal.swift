import Foundation

extension StepTiming {
    /// Wall, task and idle time of `step` from its tasks' event log. A task
    /// attempt runs from its `→ running` event to the next event of that task
    /// (done, failed, or back to pending for a retry); an attempt still
    /// running counts up to `now`.
    init(step: StepRecord, tasks: [TaskRecord], events: [Int64: [TaskEvent]], now: Date) {
        let end = step.finishedAt ?? now
        var intervals: [(Date, Date)] = []
        for task in tasks {
            let log = events[task.id] ?? []
            for (k, event) in log.enumerated() where event.toState == .running {
                let stop = k + 1 < log.count ? log[k + 1].at : (task.state == .running ? now : event.at)
                if stop > event.at { intervals.append((event.at, stop)) }
            }
        }
        let wall = max(0, end.timeIntervalSince(step.startedAt))
        self.init(
            kind: step.kind.rawValue, state: step.state.rawValue, wallSeconds: wall,
            taskSeconds: intervals.reduce(0) { $0 + $1.1.timeIntervalSince($1.0) },
            idleSeconds: max(0, wall - Self.covered(intervals, from: step.startedAt, to: end)),
            tasks: tasks.count, tasksDone: tasks.filter { $0.state == .done }.count,
            tasksFailed: tasks.filter { $0.state == .failed }.count)
    }

    /// Length of the union of `intervals` clipped to [start, end]: the time at
    /// least one task ran, whatever the number of parallel slots.
    static func covered(_ intervals: [(Date, Date)], from start: Date, to end: Date) -> Double {
        let clipped = intervals.map { (max($0.0, start), min($0.1, end)) }.filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        var total = 0.0
        var current: (Date, Date)?
        for interval in clipped {
            if let c = current, interval.0 <= c.1 {
                current = (c.0, max(c.1, interval.1))
            } else {
                if let c = current { total += c.1.timeIntervalSince(c.0) }
                current = interval
            }
        }
        if let c = current { total += c.1.timeIntervalSince(c.0) }
        return total
    }
}
