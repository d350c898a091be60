import ArgumentParser
import Foundation
import GyreCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Bench {
    /// Classifies and picks from millions of model_devi.out rows with Gyre's
    /// Selector and with DP-GEN's own selection code on the same files.
    struct Selection: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Selection over 10M frames (1000 model_devi.out × 10,000 rows): Gyre against DP-GEN's _select_by_model_devi_standard.")

        @Option(help: "model_devi.out files (MD tasks).") var files = 1000
        @Option(help: "Rows per file.") var rows = 10_000
        @Option(help: "Systems the tasks are spread over (DP-GEN selects per system).") var systems = 4
        @Option(help: "Labels per system (DP-GEN's fp_task_max; Gyre's max_per_system).") var budget = 50
        @Option(help: "Trust window lo, eV/Å.") var lo = 0.05
        @Option(help: "Trust window hi, eV/Å.") var hi = 0.15
        @Option(help: "Gyre's strategy: random (DP-GEN's) or highest.") var strategy = "random"
        @Option(help: "Python with dpgen installed.") var python = ".venv/bin/python"
        @Option(help: "Directory for the files (default: a new temp dir, removed at the end).") var dir: String?
        @Flag(help: "Skip DP-GEN.") var noPython = false

        func run() async throws {
            guard let strat = SelectSettings.Strategy(rawValue: strategy), strat != .diverse else {
                throw ValidationError("--strategy must be random or highest (diverse reads structures)")
            }
            let work = dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("gyre-bench-selection-\(getpid())")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { if dir == nil { try? FileManager.default.removeItem(at: work) } }

            let t0 = Date()
            let trajectories = try generate(in: work)
            print(String(format: "wrote %d model_devi.out × %d rows (%d frames) in %.1f s to %@",
                         files, rows, files * rows, Date().timeIntervalSince(t0), work.path))
            printRSS("after writing the files")

            let selector = Selector(force: .fixed(lo: lo, hi: hi), maxPerIteration: budget * systems, maxPerSystem: budget,
                                    strategy: strat, stageName: "bench", seed: 1, iteration: 0,
                                    options: SelectionOptions(filters: .none))
            let start = Date()
            let outcome = try selector.pickWithoutFrames(trajectories)
            let gyreSeconds = Date().timeIntervalSince(start)
            let total = outcome.counts.reduce(into: (0, 0, 0)) { $0.0 += $1.accurate; $0.1 += $1.candidate; $0.2 += $1.failed }
            print(String(format: "Gyre:   %.3f s  (%.1f M frames/s)  accurate %d candidate %d failed %d picked %d",
                         gyreSeconds, Double(files * rows) / gyreSeconds / 1e6, total.0, total.1, total.2, outcome.picked.count))
            let rss = maxRSSMegabytes()
            print("Gyre peak memory (maxrss of the process, file generation included): \(rss) MB")

            guard !noPython else { return }
            guard FileManager.default.isExecutableFile(atPath: python) else {
                print("no \(python): skipping DP-GEN (install with .venv/bin/pip install dpgen, or pass --python)")
                return
            }
            guard let dpgen = try runDPGEN(work) else { return }
            print(String(format: "DP-GEN: %.3f s  accurate %d candidate %d failed %d picked %d",
                         dpgen.seconds, dpgen.accurate, dpgen.candidate, dpgen.failed, dpgen.picked))
            let agree = (dpgen.accurate, dpgen.candidate, dpgen.failed) == total && dpgen.picked == outcome.picked.count
            print(String(format: "Gyre is %.1f× faster than DP-GEN; counts %@", dpgen.seconds / gyreSeconds,
                         agree ? "agree" : "DIFFER"))
        }

        /// Task directories task.SSS.TTTTTT with DeePMD-kit-formatted rows: force deviations
        /// log-normal around the window so all three classes are well populated.
        private func generate(in work: URL) throws -> [Trajectory] {
            let header = "#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f\n"
            var out: [Trajectory] = []
            for i in 0..<files {
                let system = i % max(1, systems)
                let name = String(format: "task.%03d.%06d", system, i)
                let dir = work.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                var g = SeededGenerator(seed: 42, stream: ["bench", name])
                var bytes: [UInt8] = Array(header.utf8)
                bytes.reserveCapacity(rows * 136 + header.utf8.count)
                let center = (lo * hi).squareRoot()
                for r in 0..<rows {
                    let f = center * exp(0.8 * g.nextGaussian())
                    let v = 0.02 * exp(0.5 * g.nextGaussian())
                    RowFormat.integer(r * 10, width: 12, into: &bytes)
                    RowFormat.scientific(v, into: &bytes)
                    RowFormat.scientific(v * 0.4, into: &bytes)
                    RowFormat.scientific(v * 0.7, into: &bytes)
                    RowFormat.scientific(f, into: &bytes)
                    RowFormat.scientific(f * 0.3, into: &bytes)
                    RowFormat.scientific(f * 0.6, into: &bytes)
                    bytes.append(10)
                }
                let url = dir.appendingPathComponent("model_devi.out")
                try Data(bytes).write(to: url)
                out.append(Trajectory(task: name, system: String(format: "%03d", system), condition: "T=300 K",
                                      modelDeviation: url, frames: dir.appendingPathComponent("traj.extxyz")))
            }
            return out
        }

        private struct DPGENResult { var seconds: Double; var accurate, candidate, failed, picked: Int }

        private func runDPGEN(_ work: URL) throws -> DPGENResult? {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [URL(fileURLWithPath: "Benchmarks/selection_dpgen.py").path, work.path,
                           String(lo), String(hi), String(budget)]
            // dpdispatcher (imported by dpgen) writes a log into the working directory.
            p.currentDirectoryURL = work
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            guard p.terminationStatus == 0, let line = text.split(separator: "\n").last,
                  let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let s = json["seconds"] as? Double, let a = json["accurate"] as? Int, let c = json["candidate"] as? Int,
                  let f = json["failed"] as? Int, let k = json["picked"] as? Int else {
                print("selection_dpgen.py failed (status \(p.terminationStatus)):\n\(text)")
                return nil
            }
            return DPGENResult(seconds: s, accurate: a, candidate: c, failed: f, picked: k)
        }
    }
}

/// DeePMD-kit's `%12d` and `%19.6e` columns, formatted by hand: String(format:)
/// would dominate writing 70 million numbers.
private enum RowFormat {
    static func integer(_ n: Int, width: Int, into out: inout [UInt8]) {
        var digits: [UInt8] = []
        var m = n
        repeat { digits.append(UInt8(48 + m % 10)); m /= 10 } while m > 0
        for _ in 0..<max(0, width - digits.count) { out.append(32) }
        out.append(contentsOf: digits.reversed())
    }

    /// `%19.6e` for a positive finite value: 7 spaces, d.dddddde±XX.
    static func scientific(_ x: Double, into out: inout [UInt8]) {
        var e = Int(log10(x).rounded(.down))
        var m = Int((x / pow(10, Double(e)) * 1e6).rounded())
        if m >= 10_000_000 { m /= 10; e += 1 }
        if m < 1_000_000 { m *= 10; e -= 1 }
        for _ in 0..<7 { out.append(32) }
        out.append(UInt8(48 + m / 1_000_000))
        out.append(46)
        var frac = m % 1_000_000
        var six = [UInt8](repeating: 48, count: 6)
        for k in stride(from: 5, through: 0, by: -1) { six[k] = UInt8(48 + frac % 10); frac /= 10 }
        out.append(contentsOf: six)
        out.append(101)
        out.append(e < 0 ? 45 : 43)
        let a = abs(e)
        out.append(UInt8(48 + a / 10))
        out.append(UInt8(48 + a % 10))
    }
}

private func maxRSSMegabytes() -> Int {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.ru_maxrss / 1024  // KB on Linux
    #else
    getrusage(RUSAGE_SELF, &u)
    return u.ru_maxrss / (1024 * 1024)  // bytes on macOS
    #endif
}

private func printRSS(_ phase: String) {
    print("max RSS \(phase): \(maxRSSMegabytes()) MB")
}
