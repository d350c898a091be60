import Dispatch

/// Splits `0..<count` into a fixed number of contiguous chunks that depends only on
/// `count` (never on the number of cores), so that per-chunk partial sums reduced in
/// chunk order give bit-identical results on any machine and thread count.
public struct ChunkedWork: Sendable {
    public let count: Int
    public let chunks: Int

    /// `grain` is the smallest chunk worth a thread; at most `maxChunks` chunks.
    public init(count: Int, grain: Int = 128, maxChunks: Int = 8) {
        self.count = count
        self.chunks = max(1, min(maxChunks, count / max(1, grain)))
    }

    /// Exactly `chunks` chunks (fewer when `count` is smaller): for work whose
    /// items are large, such as whole frames.
    public init(count: Int, chunks: Int) {
        self.count = count
        self.chunks = max(1, min(chunks, count))
    }

    /// Items of chunk c.
    @inlinable public func range(_ c: Int) -> Range<Int> {
        (c * count / chunks)..<((c + 1) * count / chunks)
    }

    /// Runs `body(chunk, range)` for every chunk, concurrently when there is more than one.
    public func run(_ body: (Int, Range<Int>) -> Void) {
        if chunks == 1 {
            body(0, 0..<count)
            return
        }
        // concurrentPerform returns only when every chunk is done, and callers write
        // disjoint per-item or per-chunk slots, so sharing the non-Sendable body is safe.
        nonisolated(unsafe) let shared = body
        let work = self
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            shared(c, work.range(c))
        }
    }

    /// Each chunk's result, in chunk order, for the caller to reduce in that order.
    public func map<T: Sendable>(_ body: (Range<Int>) -> T) -> [T] {
        let slots = ResultSlots<T>(count: chunks)
        run { c, range in slots.store(body(range), at: c) }
        return slots.results()
    }
}

/// One slot per chunk; each chunk writes only its own slot, so no lock is needed.
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
