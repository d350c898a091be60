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

    /// Atoms of chunk c.
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
        // disjoint per-atom or per-chunk slots, so sharing the non-Sendable body is safe.
        nonisolated(unsafe) let shared = body
        let work = self
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            shared(c, work.range(c))
        }
    }
}
