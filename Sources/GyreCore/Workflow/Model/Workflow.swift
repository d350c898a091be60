import Foundation

/// A validated workflow: everything a run needs, typed, with defaults applied
/// and every path resolved against the workflow file's directory.
public struct Workflow: Sendable {
    public var name: String
    public var seed: UInt64
    /// The run's directory (journal, tasks, data); absolute.
    public var workdir: URL
    /// Element symbols; their order is the type index (DeePMD's type_map).
    public var elements: [String]
    /// Mass per element, amu: given in the workflow or from the periodic table.
    public var masses: [String: Double]
    public var data: [DataSource]
    /// Named starting structures for exploration, in the order written.
    public var systems: [NamedSystem]
    public var train: TrainSettings
    public var explore: ExploreSettings
    public var select: SelectSettings
    public var label: LabelSettings
    /// The default executor of every step; steps may override it.
    public var executor: ExecutorSettings

    /// Where the workflow was read from, and its exact text (stored in the journal).
    public var source: URL
    public var text: String
    /// Things worth knowing that do not stop the run (printed by `gyre check`).
    public var warnings: [Diagnostic] = []

    public func system(named name: String) -> NamedSystem? {
        systems.first { $0.name == name }
    }
}

public struct NamedSystem: Sendable, Hashable {
    public var name: String
    public var structure: StructureSource
}
