import ArgumentParser

@main
struct Gyre: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gyre",
        abstract: "Concurrent-learning loops for machine-learning interatomic potentials.",
        subcommands: [Check.self, Plan.self, Run.self, Status.self, Report.self, Engine.self]
    )
}
