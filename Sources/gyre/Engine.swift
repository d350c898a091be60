import ArgumentParser

extension Gyre {
    /// The built-in engines as commands, run inside task directories like any
    /// external engine (DESIGN.md, principle 1).
    struct Engine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one of Gyre's built-in engines inside a task directory.",
            discussion: """
                The loop runs these as task commands, exactly as it runs pw.x or \
                LAMMPS, so they work through every executor (local or Slurm).

                Example (what a quickstart label task runs in its directory):
                  gyre engine label --potential emt --input input.extxyz --output labelled.extxyz
                """,
            subcommands: [Label.self, MD.self, Train.self]
        )
    }
}
