import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into Swift task cancellation, so Ctrl-C or a
/// scheduler's `scancel` stops the loop the structured way: executors stop
/// their process groups, the journal records, and gyre exits cleanly.
///
/// A second signal while stopping is left to the default action (immediate
/// exit): the journal stays consistent because every change is a transaction.
public final class ShutdownSignal: Sendable {
    private struct State: @unchecked Sendable {
        // DispatchSourceSignal is thread-safe but not marked Sendable.
        var sources: [any DispatchSourceSignal] = []
        var received: Int32?
    }

    private let state = Mutex(State())
    private let signals: [Int32]

    /// Watches `signals` (SIGINT and SIGTERM by default). Their default action
    /// is suspended until `stop()`.
    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
    }

    deinit { stop() }

    /// The signal that asked to stop, if one came.
    public var receivedSignal: Int32? { state.withLock { $0.received } }

    /// Runs `operation` in a child task that is cancelled when one of the
    /// signals arrives, and returns its result.
    public func cancelling<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        start { task.cancel() }
        defer { stop() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Installs the handlers; `onSignal` runs (once per signal received,
    /// on a dispatch queue) until `stop()`.
    public func start(_ onSignal: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "gyre.shutdown-signal")
        state.withLock { state in
            for number in signals {
                // Ignore the default action so the dispatch source sees it.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [weak self] in
                    self?.state.withLock { state in
                        if state.received == nil { state.received = number }
                    }
                    onSignal()
                    // A second Ctrl-C should kill at once: restore the default.
                    signal(number, SIG_DFL)
                }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// Removes the handlers and restores the default actions.
    public func stop() {
        let sources = state.withLock { state -> [any DispatchSourceSignal] in
            defer { state.sources = [] }
            return state.sources
        }
        guard !sources.isEmpty else { return }
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
