import ArgumentParser
import Foundation
import GyreCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Bench {
    /// Reads and writes extxyz, deepmd/npy and model_devi.out with Gyre and with
    /// ASE / dpdata / numpy on the same files, and prints throughput and ratios.
    struct Formats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Throughput of Gyre's extxyz, deepmd/npy and model_devi.out readers/writers against ASE, dpdata and numpy.loadtxt.")

        @Option(help: "Frames of extxyz and deepmd/npy (1M × 64 atoms is ~7 GB of extxyz and 3.2 GB of deepmd/npy on disk; both stream on Gyre's side, but dpdata holds ~6 GB for 1M: the default is 100k; rates are per MB).")
        var frames = 100_000
        @Option(help: "Atoms per frame.") var atoms = 64
        @Option(help: "Rows of model_devi.out.") var deviLines = 10_000_000
        @Option(help: "Frames handed to ASE (ASE is slow; its rate is per MB of the same kind of file).")
        var pythonFrames = 10_000
        @Option(help: "Python with ase, dpdata and numpy.") var python = ".venv/bin/python"
        @Option(help: "Working directory for the files (default: a new temp dir, removed at the end).")
        var dir: String?
        @Flag(help: "Skip the Python side.") var noPython = false
        @Option(help: "Measure only this format (repeatable): extxyz, devi or npy. Default: all three, in that order.")
        var only: [Part] = []

        enum Part: String, CaseIterable, ExpressibleByArgument { case extxyz, devi, npy }

        func run() async throws {
            let work = dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("gyre-bench-formats-\(getpid())")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { if dir == nil { try? FileManager.default.removeItem(at: work) } }
            print("files in \(work.path); \(frames) frames × \(atoms) atoms, \(deviLines) model_devi rows")
            let parts = only.isEmpty ? Part.allCases : Part.allCases.filter(only.contains)
            var gyre: [String: Measure] = [:]
            // The file of each part that the Python side reads.
            var pythonInputs: [Part: URL] = [:]
            for part in parts {
                switch part {
                case .extxyz: pythonInputs[part] = try measureExtXYZ(work, into: &gyre)
                case .devi: pythonInputs[part] = try measureModelDeviation(work, into: &gyre)
                case .npy: pythonInputs[part] = try measureDeepmdNpy(work, into: &gyre)
                }
            }

            print("")
            print("Gyre".padding(toLength: 20, withPad: " ", startingAt: 0) + "      MB wall s  cpu s wall MB/s cpu MB/s  items/s")
            for key in ["extxyz write", "extxyz read", "deepmd/npy write", "deepmd/npy read", "npy floor write", "npy floor read",
                        "model_devi write", "model_devi read"] {
                if let m = gyre[key] { print(m.line(key)) }
            }
            if let m = gyre["extxyz read"] {
                print(String(format: "extrapolated: 1M frames of extxyz (%.1f GB) read in %.0f s", m.mb * 1e6 / Double(m.items) / 1000,
                             m.seconds * 1e6 / Double(m.items)))
            }
            let pythonMeasures = noPython ? [:] : try comparePython(gyre: gyre, inputs: pythonInputs, work: work)
            if parts.contains(.npy) { printNpyFloor(gyre: gyre, python: pythonMeasures) }
        }

        /// extxyz, streamed in chunks of 1000 frames both ways: memory stays flat.
        /// Returns a smaller file for ASE, cut from the same stream of frames.
        private func measureExtXYZ(_ work: URL, into gyre: inout [String: Measure]) throws -> URL {
            let xyz = work.appendingPathComponent("bench.extxyz")
            try? FileManager.default.removeItem(at: xyz)
            gyre["extxyz write"] = try measure(xyz) {
                var g = SeededGenerator(seed: 1)
                var done = 0
                while done < frames {
                    let chunk = (0..<min(1000, frames - done)).map { _ in randomFrame(&g) }
                    try ExtXYZ.append(chunk, to: xyz)
                    done += chunk.count
                }
                return done
            }
            gyre["extxyz read"] = try measure(xyz) {
                var reader = try ExtXYZReader(url: xyz)
                var n = 0
                var sum = 0.0
                while let f = try reader.next() { n += 1; sum += f.energy ?? 0 }
                precondition(sum.isFinite)
                return n
            }
            report("after extxyz (streaming)")
            let small = work.appendingPathComponent("bench_small.extxyz")
            var gs = SeededGenerator(seed: 1)
            try ExtXYZ.write((0..<min(pythonFrames, frames)).map { _ in randomFrame(&gs) }, to: small)
            return small
        }

        private func measureModelDeviation(_ work: URL, into gyre: inout [String: Measure]) throws -> URL {
            let devi = work.appendingPathComponent("model_devi.out")
            gyre["model_devi write"] = try measure(devi) {
                let w = try ModelDeviationWriter(url: devi)
                var g = SeededGenerator(seed: 2)
                for step in 0..<deviLines {
                    let f = Double(g.next() % 1_000_000) * 1e-7 + 1e-4 * g.nextUnit()
                    try w.appendRow(ModelDeviationRecord(step: step * 10, maxDevV: f * 2, minDevV: f / 3, avgDevV: f,
                                                         maxDevF: f * 1.5, minDevF: f / 7, avgDevF: f / 2, devE: f / 100))
                }
                try w.close()
                return deviLines
            }
            var candidates = 0
            gyre["model_devi read"] = try measure(devi) {
                var r = try ModelDeviationReader(url: devi)
                var n = 0
                while let rec = try r.next() {
                    n += 1
                    if rec.maxDevF >= 0.05 && rec.maxDevF < 0.15 { candidates += 1 }
                }
                return n
            }
            print("model_devi: \(candidates) candidates in 0.05 ≤ max_devi_f < 0.15")
            report("after model_devi.out (streaming)")
            return devi
        }

        /// Runs formats_python.py, prints its lines beside Gyre's and returns its measures.
        private func comparePython(gyre: [String: Measure], inputs: [Part: URL], work: URL) throws -> [String: Measure] {
            let script = URL(fileURLWithPath: "Benchmarks/formats_python.py")
            guard FileManager.default.isExecutableFile(atPath: python) else {
                print("no \(python): skipping the Python comparison (pass --python)")
                return [:]
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [script.path, "--out", work.path] + inputs.sorted { $0.key.rawValue < $1.key.rawValue }
                .flatMap { ["--\($0.key.rawValue)", $0.value.path] }
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0,
                  let json = try JSONSerialization.jsonObject(with: data) as? [String: [String: Double]] else {
                print("formats_python.py failed (status \(p.terminationStatus)):\n" + String(decoding: data, as: UTF8.self))
                return [:]
            }
            print("")
            print("Python".padding(toLength: 20, withPad: " ", startingAt: 0) + "      MB wall s  cpu s wall MB/s cpu MB/s  items/s  Gyre× wall  Gyre× cpu")
            let pairs = [("ASE extxyz write", "extxyz write"), ("ASE extxyz read", "extxyz read"),
                         ("dpdata npy write", "deepmd/npy write"), ("dpdata npy read", "deepmd/npy read"),
                         ("numpy.savetxt devi", "model_devi write"), ("numpy.loadtxt devi", "model_devi read")]
            var measures: [String: Measure] = [:]
            for (name, key) in pairs {
                guard let r = json[name], let mb = r["mb"], let s = r["seconds"], let c = r["cpu_seconds"],
                      let n = r["items"] else { continue }
                let m = Measure(mb: mb, seconds: s, cpuSeconds: c, items: Int(n))
                measures[name] = m
                let wall = (gyre[key]?.rate ?? 0) / m.rate
                let cpu = (gyre[key]?.cpuRate ?? 0) / m.cpuRate
                print(m.line(name) + String(format: "  %9.1f  %9.1f", wall, cpu))
            }
            if let rss = json["python"]?["max_rss_mb"] { print(String(format: "python max RSS %.0f MB", rss)) }
            return measures
        }

        /// A 64-atom-like Cu/Au frame: positions in a 12 Å box, forces, energy, virial.
        func randomFrame(_ g: inout SeededGenerator) -> Frame {
            var pos: [SIMD3<Double>] = []
            var frc: [SIMD3<Double>] = []
            pos.reserveCapacity(atoms)
            frc.reserveCapacity(atoms)
            for _ in 0..<atoms {
                pos.append(SIMD3(12 * g.nextUnit(), 12 * g.nextUnit(), 12 * g.nextUnit()))
                frc.append(SIMD3(g.nextUnit() - 0.5, g.nextUnit() - 0.5, g.nextUnit() - 0.5))
            }
            let species = (0..<atoms).map { $0 % 4 == 0 ? "Au" : "Cu" }
            return Frame(species: species, positions: pos, cell: .orthorhombic(12, 12, 12),
                         energy: -3.7 * Double(atoms) + g.nextUnit(), forces: frc,
                         virial: Matrix3(rowMajor: (0..<9).map { _ in g.nextUnit() }))
        }
    }
}

/// One timed run: bytes of the file (or directory), wall and CPU seconds, frames or rows.
/// The machine is shared, so CPU time (this process only) is reported beside wall time.
struct Measure {
    var mb: Double
    var seconds: Double
    var cpuSeconds: Double
    var items: Int
    var rate: Double { mb / seconds }
    var cpuRate: Double { mb / cpuSeconds }

    func line(_ name: String) -> String {
        name.padding(toLength: 20, withPad: " ", startingAt: 0)
            + String(format: "%8.1f %6.2f %6.2f %8.1f %8.1f %9.0f", mb, seconds, cpuSeconds, rate, cpuRate, Double(items) / seconds)
    }
}

private func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func measure(_ url: URL, _ body: () throws -> Int) throws -> Measure {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = cpuSeconds()
    let n = try body()
    let cpu = cpuSeconds() - cpuStart
    let d = clock.now - start
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    return Measure(mb: Double(diskBytes(url)) / 1e6, seconds: seconds, cpuSeconds: cpu, items: n)
}

/// Size of a file, or the total of the files under a directory.
private func diskBytes(_ url: URL) -> Int {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { return 0 }
    if !isDir.boolValue { return (try? fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
    var total = 0
    if let e = fm.enumerator(atPath: url.path) {
        for case let p as String in e {
            total += (try? fm.attributesOfItem(atPath: url.appendingPathComponent(p).path)[.size] as? Int) ?? 0
        }
    }
    return total
}

private func report(_ phase: String) {
    var u = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
    let mb = u.ru_maxrss / 1024  // KB on Linux
    #else
    getrusage(RUSAGE_SELF, &u)
    let mb = u.ru_maxrss / (1024 * 1024)  // bytes on macOS
    #endif
    print("max RSS \(phase): \(mb) MB")
}
