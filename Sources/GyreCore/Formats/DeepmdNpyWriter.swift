import Foundation

/// Writes one deepmd/npy system as its frames arrive: `type.raw`, `type_map.raw`
/// (and `nopbc`) with the first frame, then `set.000`, `set.001`, … each as
/// soon as it holds `setSize` frames, the last one, shorter, at ``finish()``.
/// Sets split as dpdata's (consecutive runs of `setSize`, default 5000), so
/// memory is bounded by one set of frames however long the system is.
///
/// The first frame fixes the atom list and which of energy, forces, virial and
/// cell every frame has; a frame that differs is refused before anything of its
/// batch is written. Frames without a cell get a zero box and a `nopbc` file.
public final class DeepmdNpyWriter {
    public let directory: URL
    public let typeMap: [String]
    public let setSize: Int
    private var layout: DeepmdNpyLayout?
    /// Frames of the set being filled (fewer than `setSize`).
    private var pending: [Frame] = []
    private var setsWritten = 0
    private var framesWritten = 0
    private var finished = false

    /// Nothing is created until the first frame arrives; the directory must not
    /// hold sets already.
    public init(to directory: URL, typeMap: [String], setSize: Int = 5000) throws {
        guard setSize >= 1 else { throw GyreError(.invalidInput, "setSize must be at least 1") }
        self.directory = directory
        self.typeMap = typeMap
        self.setSize = setSize
    }

    /// Frames appended so far.
    public var frameCount: Int { framesWritten + pending.count }

    /// Adds frames; every set they complete is written before this returns.
    /// Full sets are written straight from `frames`, so handing over a whole
    /// system at once copies nothing.
    public func append(_ frames: [Frame]) throws {
        guard !finished else { throw GyreError(.invalidInput, "append after finish", at: SourceLocation(file: directory.path)) }
        guard !frames.isEmpty else { return }
        let layout = try self.layout ?? DeepmdNpyLayout(first: frames[0], typeMap: typeMap)
        // Frames are read in place: copying a Frame out of the array costs five
        // retains, which dominated writing 100k small frames.
        try frames.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            for i in all.indices { try layout.check(base + i, index: frameCount + i) }
        }
        if self.layout == nil { try start(layout) }
        var next = 0
        if !pending.isEmpty {
            next = min(setSize - pending.count, frames.count)
            pending.append(contentsOf: frames[0..<next])
            guard pending.count == setSize else { return }
            try writeSets(pending, 0..<setSize, layout)
            pending.removeAll(keepingCapacity: true)
        }
        let full = next + (frames.count - next) / setSize * setSize
        if full > next { try writeSets(frames, next..<full, layout) }
        pending.append(contentsOf: frames[full...])
    }

    /// Writes the last, partly filled set. A writer that got no frame throws:
    /// a deepmd/npy system needs at least one.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        guard let layout else { throw GyreError(.invalidInput, "no frames to write to \(directory.path)") }
        if !pending.isEmpty { try writeSets(pending, pending.indices, layout) }
        pending = []
    }

    /// Creates the directory and the files every set shares.
    private func start(_ layout: DeepmdNpyLayout) throws {
        let fm = FileManager.default
        try Self.createDirectory(directory)
        if let existing = try? fm.contentsOfDirectory(atPath: directory.path), existing.contains(where: { $0.hasPrefix("set.") }) {
            throw GyreError(.invalidInput, "already holds set.* directories: write to a new directory",
                            at: SourceLocation(file: directory.path))
        }
        try Self.writeText(layout.types.map(String.init).joined(separator: "\n") + "\n", to: directory.appendingPathComponent("type.raw"))
        try Self.writeText(typeMap.joined(separator: "\n") + "\n", to: directory.appendingPathComponent("type_map.raw"))
        if !layout.periodic { try Self.writeText("", to: directory.appendingPathComponent("nopbc")) }
        self.layout = layout
    }

    /// Writes `frames[range]` as the next sets: all full but perhaps the last.
    private func writeSets(_ frames: [Frame], _ range: Range<Int>, _ layout: DeepmdNpyLayout) throws {
        let sets = stride(from: range.lowerBound, to: range.upperBound, by: setSize).map { $0..<min($0 + setSize, range.upperBound) }
        let setDirs = sets.indices.map { directory.appendingPathComponent(String(format: "set.%03d", setsWritten + $0)) }
        for setDir in setDirs { try Self.createDirectory(setDir) }
        // Every (array, set) pair is one file. Gathering a column and the kernel's copy
        // of it into the page cache both take CPU time, so the files are shared out
        // among one worker per core, interleaved so each gets a like share of the
        // large arrays. A worker gathers every file of its share into one buffer.
        let files = layout.columns.flatMap { column in sets.indices.map { (column, $0) } }
        let workers = min(files.count, ProcessInfo.processInfo.activeProcessorCount)
        _ = try ParallelMap.map(workers) { worker in
            let npy = NpyWriter()
            try frames.withUnsafeBufferPointer { all in
                for i in stride(from: worker, to: files.count, by: workers) {
                    let (column, k) = files[i]
                    try column.write(UnsafeBufferPointer(rebasing: all[sets[k]]), to: setDirs[k], with: npy)
                }
            }
        }
        setsWritten += sets.count
        framesWritten += range.count
    }

    private static func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw GyreError(.io, "cannot create directory", at: SourceLocation(file: url.path), cause: error)
        }
    }

    private static func writeText(_ text: String, to url: URL) throws {
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw GyreError(.io, "cannot write", at: SourceLocation(file: url.path), cause: error)
        }
    }
}

extension DeepmdNpy {
    /// Writes one whole system with a ``DeepmdNpyWriter``: `type.raw`,
    /// `type_map.raw` and `set.000`, `set.001`, … of up to `setSize` frames.
    public static func write(_ frames: [Frame], to dir: URL, typeMap: [String], setSize: Int = 5000) throws {
        let writer = try DeepmdNpyWriter(to: dir, typeMap: typeMap, setSize: setSize)
        try writer.append(frames)
        try writer.finish()
    }
}
