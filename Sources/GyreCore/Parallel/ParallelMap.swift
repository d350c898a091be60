import Foundation

/// Runs `work(i)` for i in 0..<count on all cores and returns the results in
/// index order, so parallel work (selection scans, format reads and writes)
/// stays deterministic. Each slot is written by exactly one iteration, which
/// is what makes the unchecked Sendable safe.
enum ParallelMap {
    static func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) throws -> T) throws -> [T] {
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            slots.set(i, Result { try work(i) })
        }
        return try slots.values().map { try $0.get() }
    }

    private final class Slots<T: Sendable>: @unchecked Sendable {
        private var storage: [Result<T, any Error>?]
        init(_ n: Int) { storage = Array(repeating: nil, count: n) }
        func set(_ i: Int, _ r: Result<T, any Error>) {
            storage.withUnsafeMutableBufferPointer { $0[i] = r }
        }
        func values() -> [Result<T, any Error>] {
            storage.map { $0 ?? .failure(GyreError(.execution, "a parallel task did not run")) }
        }
    }
}
