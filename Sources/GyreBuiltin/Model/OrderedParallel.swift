import Dispatch
import Foundation

/// Runs independent jobs on all cores and returns their results in job order.
/// Callers split work into a fixed number of chunks that depends only on the
/// data, and reduce the results in order, so sums do not depend on thread count.
enum OrderedParallel {
    static func map<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            return (0..<count).map(body)
        }
        let slots = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.store(body(index), at: index)
        }
        return slots.results()
    }

    /// Contiguous index ranges covering 0..<total in `chunks` nearly equal parts (fewer when total is small).
    static func ranges(total: Int, chunks: Int) -> [Range<Int>] {
        let parts = max(1, min(chunks, total))
        return (0..<parts).map { k in (k * total / parts)..<((k + 1) * total / parts) }
    }
}

/// One slot per job; each job writes only its own slot, so no lock is needed.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
    }

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    func store(_ value: T, at index: Int) { buffer[index] = value }

    func results() -> [T] {
        (0..<count).compactMap { buffer[$0] }
    }
}
