import Foundation

/// Runs nothing: the tasks' inputs are already written, and their outputs are
/// computed elsewhere (another cluster, by hand) and copied back into the task
/// directories. Marks each task waiting, then polls until every task's outputs
/// pass its adapter; outputs may arrive in any order, partially, or be
/// replaced, and a bad one is reported while the task keeps waiting.
public struct ExternalExecutor: Executor {
    public let pollInterval: Duration
    /// nil when a task directory holds outputs its adapter accepts; else why not.
    let accept: @Sendable (URL) -> String?
    /// Records a task as waiting for outputs made elsewhere (the journal).
    let markWaiting: @Sendable (Int64) throws -> Void
    /// Says, once per distinct problem, why a present output was refused.
    let note: @Sendable (String) -> Void

    public init(pollSeconds: Double, accept: @escaping @Sendable (URL) -> String?,
                markWaiting: @escaping @Sendable (Int64) throws -> Void, note: @escaping @Sendable (String) -> Void) {
        pollInterval = .milliseconds(Int64(max(0.01, pollSeconds) * 1000))
        self.accept = accept
        self.markWaiting = markWaiting
        self.note = note
    }

    /// Waits for every task's outputs; reports each accepted task as exited 0.
    /// On cancellation returns at once: the tasks stay waiting, to be picked up
    /// by the next run. `onStart` is never called: no process of ours runs.
    public func run(
        _ tasks: [TaskSpec],
        onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void,
        onFinish: @escaping @Sendable (TaskSpec, TaskOutcome, Duration) async -> Void
    ) async throws {
        for task in tasks { try markWaiting(task.id) }
        let clock = ContinuousClock()
        let start = clock.now
        var remaining = tasks
        var lastReason: [Int64: String] = [:]
        while !remaining.isEmpty {
            var still: [TaskSpec] = []
            for task in remaining {
                guard let reason = accept(task.directory) else {
                    await onFinish(task, .exited(status: 0), clock.now - start)
                    continue
                }
                // Only outputs that exist but are refused are worth a note; absent ones are simply awaited.
                if Self.hasOutputs(task.directory), lastReason[task.id] != reason {
                    note("\(task.directory.lastPathComponent): outputs refused, still waiting: \(reason)")
                }
                lastReason[task.id] = reason
                still.append(task)
            }
            remaining = still
            if remaining.isEmpty { break }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
        }
    }

    /// Whether anything beyond the inputs Gyre wrote has appeared: a file newer
    /// than the directory's oldest file. Cheap, and only used to decide whether to speak.
    static func hasOutputs(_ directory: URL) -> Bool {
        let keys: Set<URLResourceKey> = [.contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: Array(keys)),
              files.count > 1
        else { return false }
        let dates = files.compactMap { try? $0.resourceValues(forKeys: keys).contentModificationDate }
        guard let first = dates.min(), let last = dates.max() else { return false }
        return last > first
    }
}
