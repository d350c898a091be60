import ArgumentParser
import Foundation
import GyreCore

extension Bench {
    /// Issue 7's ingest benchmark: many pw.x outputs and OUTCARs read by Gyre's
    /// label readers and by dpdata, the same files in the same run.
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read N pw.x outputs (pw.in + pw.out) and N OUTCARs with Gyre and with dpdata; print the ratio.")

        @Option(help: "Task directories per engine.") var tasks = 2000
        @Option(help: "pw.x input of every QE task.") var pwIn = "Tests/GyreCoreTests/Fixtures/engines/qe/si2.in"
        @Option(help: "pw.x output of every QE task.") var pwOut = "Tests/GyreCoreTests/Fixtures/engines/qe/si2.out"
        @Option(help: "OUTCAR of every VASP task (skipped when absent).") var outcar = "../shared/fixtures/real-outputs/vasp/OUTCAR.1"
        @Option(help: "Python with dpdata.") var python = ".venv/bin/python"
        @Option(help: "Passes over the files on each side; the best is reported (the files are in the page cache).") var repeats = 3
        @Option(help: "Directory for the task directories (default: a new temp dir, removed at the end).") var dir: String?

        func run() async throws {
            let fm = FileManager.default
            let work = dir.map { URL(fileURLWithPath: $0) }
                ?? fm.temporaryDirectory.appendingPathComponent("gyre-bench-ingest-\(getpid())")
            defer { if dir == nil { try? fm.removeItem(at: work) } }

            // pw.x: what the label step's ingest does per task — the adapter reads
            // pw.in (structure) and pw.out, checks the verdict and builds the labelled
            // frame; dpdata's qe/pw/scf reads the same two files.
            let input = try Data(contentsOf: URL(fileURLWithPath: pwIn))
            let output = try Data(contentsOf: URL(fileURLWithPath: pwOut))
            let qeRoot = work.appendingPathComponent("qe")
            let qeTasks = try makeTasks(qeRoot, files: ["pw.in": input, "pw.out": output])
            let qe = try time(qeTasks) { QELabelAdapter.frame(in: $0) }
            try compare("pw.x", format: "qe/pw/scf", root: qeRoot, gyre: qe, bytes: input.count + output.count)

            // VASP: the OUTCAR alone (its printed positions, cell and species), as dpdata's vasp/outcar reads it.
            guard let outcarData = try? Data(contentsOf: URL(fileURLWithPath: outcar)) else {
                print("no \(outcar): skipping the OUTCAR benchmark (pass --outcar)")
                return
            }
            let vaspRoot = work.appendingPathComponent("vasp")
            let vaspTasks = try makeTasks(vaspRoot, files: ["OUTCAR": outcarData])
            let vasp = try time(vaspTasks) { task in
                Result { try VASPOutcar(contentsOf: task.appendingPathComponent("OUTCAR")) }
                    .mapError { LabelRejection("\($0)") }
                    .flatMap { $0.printedFrame() }
            }
            try compare("OUTCAR", format: "vasp/outcar", root: vaspRoot, gyre: vasp, bytes: outcarData.count)
        }

        private func makeTasks(_ root: URL, files: [String: Data]) throws -> [URL] {
            try (0..<tasks).map { i in
                let task = root.appendingPathComponent(String(format: "task.%05d", i))
                try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
                for (name, data) in files { try data.write(to: task.appendingPathComponent(name)) }
                return task
            }
        }

        /// Best wall time of `repeats` passes over all tasks; every task must be accepted.
        private func time(_ tasks: [URL], _ read: (URL) -> Result<Frame, LabelRejection>) throws -> Double {
            var best = Double.infinity
            for _ in 0..<max(1, repeats) {
                var accepted = 0
                var energy = 0.0
                let clock = ContinuousClock()
                let d = clock.measure {
                    for task in tasks {
                        if case .success(let f) = read(task) { accepted += 1; energy += f.energy ?? 0 }
                    }
                }
                guard accepted == tasks.count, energy.isFinite else {
                    throw ValidationError("Gyre accepted \(accepted) of \(tasks.count) tasks")
                }
                best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            }
            return best
        }

        private func compare(_ what: String, format: String, root: URL, gyre: Double, bytes: Int) throws {
            let mb = Double(bytes * tasks) / 1e6
            print(String(format: "ingest %d %@ (%.1f MB): gyre %.3f s (%.0f MB/s, %.0f µs/task)",
                         tasks, what, mb, gyre, mb / gyre, gyre / Double(tasks) * 1e6))
            guard FileManager.default.isExecutableFile(atPath: python) else {
                print("no \(python): skipping dpdata (pass --python)")
                return
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["Tests/Scripts/dft_ingest_bench.py", format, root.path, "\(repeats)"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
            guard p.terminationStatus == 0, let seconds = fields.first.flatMap({ Double($0) }),
                  fields.last.flatMap({ Int($0) }) == tasks else {
                print("dft_ingest_bench.py failed (status \(p.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
                return
            }
            print(String(format: "ingest %d %@: dpdata %.3f s (%.0f µs/task); Gyre %.1f× faster",
                         tasks, what, seconds, seconds / Double(tasks) * 1e6, seconds / gyre))
        }
    }
}
