import Foundation
import GyreCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Bench.Formats {
    /// deepmd/npy, streamed both ways: frames go to a ``DeepmdNpyWriter`` 1000
    /// at a time and are read back set by set. Then the floor: the same files
    /// written and read with nothing but write(2) and read(2). Prints the peak
    /// memory of these steps alone. Each step starts after sync(2), so none pays
    /// for writing back an earlier step's dirty pages (the Python side does the same).
    ///
    /// The frames written are a pool of 10k made beforehand, handed over again
    /// and again: making frames between appends would leave the kernel untimed
    /// gaps to write back dirty pages in, which dpdata's and the floor's one
    /// burst of writes do not get (measured: 1M frames written in 3.4 s with
    /// frames made in the gaps, while the floor took 7.9 s). 10k frames (≈55 MB)
    /// do not fit in the cache, so the writer still gathers from main memory.
    func measureDeepmdNpy(_ work: URL, into gyre: inout [String: Measure]) throws -> URL {
        let npy = work.appendingPathComponent("bench_npy")
        try? FileManager.default.removeItem(at: npy)
        let peak = PeakMemory()
        var g = SeededGenerator(seed: 1)
        let pool = (0..<min(frames, 10_000)).map { _ in randomFrame(&g) }
        peak.report("making a pool of \(pool.count) frames")
        sync()
        gyre["deepmd/npy write"] = try measure(npy) {
            let writer = try DeepmdNpyWriter(to: npy, typeMap: ["Cu", "Au"])
            var done = 0
            while done < frames {
                let start = done % pool.count
                let chunk = Array(pool[start..<min(start + 1000, pool.count, start + frames - done)])
                try writer.append(chunk)
                done += chunk.count
            }
            try writer.finish()
            return done
        }
        peak.report("deepmd/npy write (streamed)")
        sync()
        gyre["deepmd/npy read"] = try measure(npy) {
            var reader = try DeepmdNpyReader(npy)
            var n = 0
            var sum = 0.0
            while let set = try reader.nextSet() {
                n += set.count
                for f in set { sum += f.energy ?? 0 }
            }
            precondition(sum.isFinite)
            return n
        }
        peak.report("deepmd/npy read (set by set)")

        // The floor is a bound, so it gets the best of three tries (each after
        // sync(2)); Gyre and dpdata get one. Each try writes a new directory:
        // deleting 3 GB just before (ext4 mounted with discard) slowed the next
        // write, which Gyre's and dpdata's writes do not pay.
        let floor = try NpyFloor(like: npy)
        let copies = (1...3).map { work.appendingPathComponent("floor_npy_\($0)") }
        func fastest(_ tries: [Measure]) -> Measure? { tries.min { $0.seconds < $1.seconds } }
        gyre["npy floor write"] = try fastest(copies.map { copy in
            try? FileManager.default.removeItem(at: copy)
            sync()
            return try measure(copy) { try floor.write(to: copy); return frames }
        })
        for copy in copies { try? FileManager.default.removeItem(at: copy) }
        gyre["npy floor read"] = try fastest((1...3).map { _ in
            sync()
            return try measure(npy) { try floor.read(npy); return frames }
        })
        return npy
    }

    /// How far Gyre and dpdata are from the floor, in time per MB (1 = as fast as
    /// write(2)/read(2) of ready buffers), and what that leaves for the 10× goal:
    /// measured against the fastest pass over these bytes in the run, the floor's
    /// or Gyre's: at 1M frames on this shared 2-core machine Gyre's write often
    /// beat the floor's (whose kernel time per MB varied 2-4× from run to run),
    /// so the floor is no bound there and the fastest measured write stands in.
    func printNpyFloor(gyre: [String: Measure], python: [String: Measure]) {
        print("")
        print("deepmd/npy against the floor (the same files by write(2)/read(2) of a ready buffer, a thread per core, best of 3; time per MB ÷ the floor's, wall / cpu):")
        for (way, dpdataKey) in [("write", "dpdata npy write"), ("read", "dpdata npy read")] {
            guard let floor = gyre["npy floor \(way)"] else { continue }
            func ratios(_ m: Measure) -> (Double, Double) {
                ((m.seconds / m.mb) / (floor.seconds / floor.mb), (m.cpuSeconds / m.mb) / (floor.cpuSeconds / floor.mb))
            }
            var line = String(format: "  %@: floor %.2f s wall, %.2f s cpu for %.0f MB", way, floor.seconds, floor.cpuSeconds, floor.mb)
            var fastest = ("the floor", floor.seconds / floor.mb)
            if let g = gyre["deepmd/npy \(way)"] {
                let (w, c) = ratios(g)
                line += String(format: "; gyre/floor %.2f / %.2f", w, c)
                if g.seconds / g.mb < fastest.1 { fastest = ("Gyre (it beat the floor: no bound in this run)", g.seconds / g.mb) }
            }
            guard let d = python[dpdataKey] else {
                print(line)
                continue
            }
            let (w, c) = ratios(d)
            print(line + String(format: "; dpdata/floor %.2f / %.2f", w, c))
            let best = fastest.1 * d.mb
            let reachable = d.seconds / best
            print(String(format: "    fastest %@ of these bytes in this run: %@, %.3f s; dpdata took %.1f× that, so 10× over dpdata (%.3f s) %@",
                         way, fastest.0, best, reachable, d.seconds / 10,
                         reachable < 10 ? String(format: "is %.1f× faster than anything measured here: out of reach on this machine", 10 / reachable)
                             : "is possible in principle: the fastest pass was faster still"))
        }
    }
}

/// The machine's limit for a deepmd/npy system's files: each file written from
/// one ready contiguous buffer with write(2), or read back with read(2), in the
/// same set directories, with the same names and sizes, the files shared out
/// among one thread per core as Gyre's writer does. No gathering, no conversion,
/// no Frames: what any writer or reader pays at least. The buffer holds the
/// bytes of the largest real file; each file is a prefix of it (what the
/// kernel's copy costs does not depend on the values). The calls move 1 MB
/// each: one write(2) of a whole 7.7 MB array measured 3-4× the kernel time of
/// 1 MB ones here, and a floor must be the fastest plain way.
private final class NpyFloor: @unchecked Sendable {  // immutable after init; the buffer is only read
    /// Path under the system and size of every file, in a fixed order.
    let files: [(path: String, bytes: Int)]
    let buffer: UnsafeMutableRawPointer
    static let callBytes = 1 << 20
    let workers = ProcessInfo.processInfo.activeProcessorCount

    init(like system: URL) throws {
        let fm = FileManager.default
        guard let paths = fm.enumerator(atPath: system.path) else { throw GyreError(.io, "cannot list \(system.path)") }
        var files: [(String, Int)] = []
        for case let path as String in paths {
            let attributes = try fm.attributesOfItem(atPath: system.appendingPathComponent(path).path)
            if attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? Int {
                files.append((path, size))
            }
        }
        self.files = files.sorted { $0.0 < $1.0 }
        guard let largest = files.max(by: { $0.1 < $1.1 }) else { throw GyreError(.io, "no files under \(system.path)") }
        let bytes = try Data(contentsOf: system.appendingPathComponent(largest.0))
        buffer = .allocate(byteCount: max(1, bytes.count), alignment: 64)
        bytes.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    deinit { buffer.deallocate() }

    func write(to dir: URL) throws {
        for setDir in Set(files.map { ($0.path as NSString).deletingLastPathComponent }) {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(setDir), withIntermediateDirectories: true)
        }
        try eachFile { file, _ in
            let path = dir.appendingPathComponent(file.path).path
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw GyreError(.io, "cannot open \(path)") }
            defer { close(fd) }
            var done = 0
            while done < file.bytes {
                let n = systemWrite(fd, buffer + done, min(Self.callBytes, file.bytes - done))
                guard n > 0 else { throw GyreError(.io, "write failed: \(path)") }
                done += n
            }
        }
    }

    /// Each thread reads into its own 1 MB buffer.
    func read(_ dir: URL) throws {
        try eachFile { file, into in
            let path = dir.appendingPathComponent(file.path).path
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw GyreError(.io, "cannot open \(path)") }
            defer { close(fd) }
            var done = 0
            while done < file.bytes {
                let n = systemRead(fd, into, min(Self.callBytes, file.bytes - done))
                guard n > 0 else { throw GyreError(.io, "read failed: \(path)") }
                done += n
            }
        }
    }

    /// Runs `body` on every file, the files interleaved among the threads; each
    /// thread has a 1 MB scratch buffer. The first error is rethrown.
    private func eachFile(_ body: @Sendable ((path: String, bytes: Int), UnsafeMutableRawPointer) throws -> Void) throws {
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.callBytes, alignment: 64)
            defer { scratch.deallocate() }
            do {
                for i in stride(from: worker, to: files.count, by: workers) { try body(files[i], scratch) }
            } catch {
                failure.keep(error)
            }
        }
        if let error = failure.error { throw error }
    }
}

private final class FirstError: @unchecked Sendable {  // guarded by lock
    private let lock = NSLock()
    private var first: (any Error)?
    var error: (any Error)? { lock.withLock { first } }
    func keep(_ e: any Error) { lock.withLock { if first == nil { first = e } } }
}

/// The peak resident memory of one stretch of the run: Linux's VmHWM, reset
/// through /proc/self/clear_refs at the start, so parts run earlier do not
/// count (getrusage's maxrss cannot be reset).
private struct PeakMemory {
    let resettable: Bool

    init() {
        resettable = (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .ascii)) != nil
    }

    func report(_ phase: String) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kB(_ key: String) -> Int? {
            status.split(separator: "\n").first { $0.hasPrefix(key) }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
        }
        guard let hwm = kB("VmHWM:"), let rss = kB("VmRSS:") else {
            print("no VmHWM in /proc/self/status: peak RSS after \(phase) unknown")
            return
        }
        print("peak RSS \(resettable ? "since deepmd/npy began" : "of the process (could not reset it)") after \(phase): \(hwm / 1024) MB (now \(rss / 1024) MB)")
    }
}

// The POSIX calls, named so that NpyFloor's own read/write do not hide them.
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
