import Foundation
import Testing

@testable import GyreCore

/// Fixture workflows and a way to check inline YAML without touching the disk.
enum WorkflowFixtures {
    static func directory(_ name: String) throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("workflows").appendingPathComponent(name)
    }

    static func url(_ relative: String) throws -> URL {
        try directory(".").appendingPathComponent(relative).standardizedFileURL
    }

    /// The repository root, found from this source file (Tests/GyreCoreTests/Workflow/…).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The quickstart workflow in compact form: the corpus files are this with one thing broken.
    static let base = """
        name: cu-quickstart
        seed: 7
        elements: [Cu]

        data:
          - generate:
              lattice: fcc
              a: 3.61
              repeat: [2, 2, 2]
              rattle: 0.05
              strain: 0.02
              count: 16

        systems:
          bulk: {lattice: fcc, a: 3.61, repeat: [3, 3, 3]}

        train:
          engine: builtin
          models: 4

        explore:
          engine: builtin
          stages:
            - name: warm
              systems: [bulk]
              ensemble: nvt
              temperatures: [300, 600]
              steps: 2000
              timestep: 0.002
              sample_every: 20
              max_iterations: 5
              converged_when: {accurate: 0.97}

        select:
          trust: {lo: 0.05, hi: 0.30}
          max_per_iteration: 40
          strategy: diverse

        label:
          engine: builtin
          potential: emt
          retries: 2
          max_failed: 0.05

        executor:
          local: {slots: 2}

        """

    /// Analyses YAML text as if it were the file `t.yaml` in the fixtures' `bad` directory.
    static func analyze(_ text: String) throws -> (Workflow?, [Diagnostic]) {
        WorkflowLoader.analyze(bytes: Array(text.utf8), file: "t.yaml", directory: try directory("bad"))
    }

    /// `base` with `old` replaced by `new` (the replacement must apply).
    static func patched(_ old: String, _ new: String) throws -> String {
        let patched = base.replacingOccurrences(of: old, with: new)
        try #require(patched != base, "the patch `\(old)` does not apply to the base workflow")
        return patched
    }
}

extension Diagnostic {
    var lineColumn: String { "\(location.line ?? 0):\(location.column ?? 0)" }
}
