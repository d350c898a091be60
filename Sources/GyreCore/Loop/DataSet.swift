import Foundation

/// The workdir's whole data set in the two shapes other programs read:
/// `data/all.extxyz` (every frame, in data-file order) and `data/deepmd/`
/// (one deepmd/npy system per formula, `elements` as the type map).
///
/// Both are derived from the per-iteration `data/<iteration>.extxyz` files,
/// the append-only record, and rebuilt from them whole after every ingest,
/// so the same data files always give the same bytes. Neither is ever seen
/// half-written: `all.extxyz` is replaced atomically, and `data/deepmd/` is
/// built complete in a hidden sibling directory and renamed into place. The
/// loop rebuilds before it marks the ingest step done, so a crash during a
/// rebuild leaves the step unfinished and the next run rebuilds again.
public struct DataSet: Sendable {
    public let layout: WorkdirLayout
    /// The type map of every deepmd/npy system: the workflow's `elements`.
    public let elements: [String]

    public init(layout: WorkdirLayout, elements: [String]) {
        self.layout = layout
        self.elements = elements
    }

    public var allFramesFile: URL { layout.dataDirectory.appendingPathComponent("all.extxyz") }

    /// Every frame of the per-iteration data files, in iteration order.
    public func frames() throws -> [Frame] {
        try layout.dataFiles().flatMap { try ExtXYZ.read($0) }
    }

    /// Rewrites `data/all.extxyz` and `data/deepmd/` from the data files.
    /// Returns the number of frames written.
    @discardableResult
    public func rebuild() throws -> Int {
        let frames = try frames()
        let fm = FileManager.default
        try createDirectory(layout.dataDirectory)
        try AtomicFile.write(frames.map(ExtXYZ.format).joined(), to: allFramesFile)

        let target = layout.deepmdDataDirectory
        let staging = layout.dataDirectory.appendingPathComponent(".deepmd.new")
        let retired = layout.dataDirectory.appendingPathComponent(".deepmd.old")
        // Leftovers of a rebuild that crashed are never read: start clean.
        for leftover in [staging, retired] where fm.fileExists(atPath: leftover.path) {
            try remove(leftover)
        }
        try createDirectory(staging)
        for system in Self.systems(frames) {
            try DeepmdNpy.write(system.frames, to: staging.appendingPathComponent(system.name), typeMap: elements)
        }
        // rename(2) cannot replace a non-empty directory: move the old set
        // aside first. Between the two renames there is no data/deepmd at
        // all — never a partial one.
        if fm.fileExists(atPath: target.path) { try rename(target, to: retired) }
        try rename(staging, to: target)
        if fm.fileExists(atPath: retired.path) { try remove(retired) }
        return frames.count
    }

    /// deepmd/npy systems: one per formula and species order
    /// (`DeepmdNpy.systems`), split further where frames differ in which
    /// labels they carry — e.g. given frames without a virial next to DFT
    /// labels with one — because a system's files hold every frame or none.
    /// The split-off part is named `<system>.no-virial` (formulas hold no dot).
    static func systems(_ frames: [Frame]) -> [DeepmdSystem] {
        DeepmdNpy.systems(frames).flatMap { system -> [DeepmdSystem] in
            let with = system.frames.filter { $0.virial != nil }
            let without = system.frames.filter { $0.virial == nil }
            guard !with.isEmpty, !without.isEmpty else { return [system] }
            return [DeepmdSystem(name: system.name, frames: with),
                    DeepmdSystem(name: system.name + ".no-virial", frames: without)]
        }
    }

    private func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw GyreError(.io, "cannot create directory", at: SourceLocation(file: url.path), cause: error)
        }
    }

    private func remove(_ url: URL) throws {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw GyreError(.io, "cannot remove", at: SourceLocation(file: url.path), cause: error)
        }
    }

    private func rename(_ from: URL, to: URL) throws {
        do {
            try FileManager.default.moveItem(at: from, to: to)
        } catch {
            throw GyreError(.io, "cannot rename to \(to.lastPathComponent)", at: SourceLocation(file: from.path), cause: error)
        }
    }
}
