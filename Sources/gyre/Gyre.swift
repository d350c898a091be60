import ArgumentParser

@main
struct Gyre: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gyre",
        abstract: "Concurrent-learning loops for machine-learning interatomic potentials.",
        discussion: """
            Gyre trains an ensemble of potentials, explores with molecular dynamics \
            driven by it, selects the frames the models disagree on, labels them \
            with a reference method (DFT or a built-in stand-in) and retrains, \
            iteration after iteration, until the ensemble is trustworthy. The whole \
            run is described by one YAML workflow (see docs/workflow.md).

            Example:
              gyre check Workflows/quickstart.yaml    # validate
              gyre run Workflows/quickstart.yaml      # run or resume
              gyre status Workflows/quickstart.yaml   # while it runs
              gyre report runs/cu-quickstart --html report.html

            Exit status: 0 done (converged), 1 run stopped, 2 invalid input.
            """,
        subcommands: [Check.self, Plan.self, Run.self, Status.self, Report.self, Engine.self]
    )
}
