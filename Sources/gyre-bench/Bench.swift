import ArgumentParser

/// Benchmarks of Gyre against the tools users have, run in release mode:
/// `swift run -c release gyre-bench <suite>`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gyre-bench",
        abstract: "Measure Gyre against DP-GEN, dpdata, ASE and LAMMPS on the same inputs.",
        subcommands: [Train.self, Formats.self, Selection.self, MD.self, Slurm.self, Evaluate.self, Ingest.self]
    )
}
