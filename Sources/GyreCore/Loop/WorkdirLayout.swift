import Foundation

/// Where everything of a run lives inside its workdir (DESIGN.md, "Workdir
/// layout"). Task directories are relative, so a workdir can be moved.
public struct WorkdirLayout: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public static func iterationName(_ index: Int) -> String {
        index < 0 ? "init" : "iter." + String(format: "%03d", index)
    }

    public func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    public func stepDirectory(iteration: Int, _ step: StepKind) -> String {
        "\(Self.iterationName(iteration))/\(step.rawValue)"
    }

    public func modelDirectory(iteration: Int, member: Int) -> String {
        "\(stepDirectory(iteration: iteration, .train))/model.\(member)"
    }

    public func finalModelDirectory(member: Int) -> String {
        "models/final/model.\(member)"
    }

    public static func taskName(_ index: Int) -> String {
        "task." + String(format: "%03d", index)
    }

    /// Labelled data: one extxyz per iteration that produced labels (`init` first).
    public var dataDirectory: URL { url("data") }

    /// Slurm job scripts, Slurm's own job output, and the pending-job warnings.
    public var slurmDirectory: URL { url("slurm") }

    public func dataFile(iteration: Int) -> URL {
        dataDirectory.appendingPathComponent("\(Self.iterationName(iteration)).extxyz")
    }

    /// The whole data set as DeePMD-kit training data: one deepmd/npy system
    /// per formula (and species order), rewritten after every ingest.
    public var deepmdDataDirectory: URL { dataDirectory.appendingPathComponent("deepmd") }

    /// The deepmd/npy systems under data/deepmd/, sorted by name.
    public func deepmdSystems() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: deepmdDataDirectory.path)) ?? []
        return names.sorted().map { deepmdDataDirectory.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("type.raw").path) }
    }

    /// Every data file written so far, in iteration order (`init` first).
    public func dataFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".extxyz") && ($0.hasPrefix("iter.") || $0.hasPrefix("init")) }
            .sorted { a, b in
                // "init" sorts before every "iter.NNN".
                if a.hasPrefix("init") != b.hasPrefix("init") { return a.hasPrefix("init") }
                return a < b
            }
            .map { dataDirectory.appendingPathComponent($0) }
    }
}

/// A path from `base` to `target`, both inside the workdir: what a task's
/// command uses so the workdir stays relocatable.
func relativePath(from base: String, to target: String) -> String {
    let depth = base.split(separator: "/").count
    return String(repeating: "../", count: depth) + target
}
