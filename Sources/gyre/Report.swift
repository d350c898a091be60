import ArgumentParser
import Foundation
import GyreCore

extension Gyre {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report a run: per-iteration frames, labels, errors and timings, as a table, JSON or an HTML page.",
            discussion: """
                Reads the run's journal and the files each iteration wrote; works while `gyre run` \
                is still going. One row per iteration: stage, conditions explored, frames sampled, \
                accurate / candidate / failed %, the trust window used, labels picked / done / failed, \
                the ensemble's out-of-sample energy and force RMSE on the frames labelled in that \
                iteration (its mean prediction, before training on them), the training error, wall \
                time per step and Gyre's overhead (wall time with no task running).

                --json prints the report in the stable schema of docs/report-schema.md. --html writes \
                one self-contained page (inline SVG plots, no network access). `gyre run` keeps \
                <workdir>/report.html up to date after every iteration.

                Example:
                  gyre report runs/cu-quickstart
                  gyre report Workflows/quickstart.yaml --json > report.json
                  gyre report runs/cu-quickstart --html report.html
                """
        )

        @Argument(help: "The run's workdir or its workflow file (default: the current directory).")
        var target: String = "."

        @Flag(help: "Print the report as JSON (docs/report-schema.md) instead of a table.")
        var json = false

        @Option(help: "Also write the report as a self-contained HTML page to this file.", completion: .file(extensions: ["html"]))
        var html: String?

        @Flag(name: .shortAndLong, help: "Print nothing on success (with --html: just write the page).")
        var quiet = false

        func run() throws {
            let workdir = try RunTarget.workdir(target)
            do {
                let report = try RunReportBuilder(workdir: workdir, predictor: BuiltinEnsemblePredictor()).build()
                if let html {
                    try AtomicFile.write(report.html(), to: URL(fileURLWithPath: html))
                }
                if json {
                    FileHandle.standardOutput.write(try report.jsonData() + Data("\n".utf8))
                } else if !quiet {
                    print(report.text(), terminator: "")
                    if let html { print("HTML report: \(html)") }
                }
            } catch let error as GyreError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
