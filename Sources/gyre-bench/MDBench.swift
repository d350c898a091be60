import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Bench {
    /// MD throughput of Gyre against LAMMPS on the same Stillinger–Weber silicon runs.
    struct MD: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "md",
            abstract: "MD steps/s, Stillinger–Weber Si (512 and 4096 atoms), Gyre vs LAMMPS, same thermostat and run length.",
            discussion: """
                Both codes run Langevin NVT at --temperature with a 1 fs step, damping 0.1 ps, a \
                1 Å neighbour skin checked every step, from the same diamond lattice. LAMMPS \
                (`fix nve` + `fix langevin`, pair_style sw with Si.sw) runs on 1 MPI process and, \
                when mpirun exists, on as many processes as Gyre has cores.
                """
        )

        @Option(help: "Diamond supercell repeats to time (4 → 512 atoms, 8 → 4096).")
        var repeats: [Int] = [4, 8]

        @Option(help: "MD steps per run (both codes).")
        var steps: Int = 1000

        @Option(help: "Temperature, K.")
        var temperature: Double = 1000

        @Option(help: "LAMMPS executable.")
        var lammps: String = "/usr/bin/lmp"

        @Option(help: "Stillinger–Weber parameter file for LAMMPS.")
        var potentialFile: String = "/usr/share/lammps/potentials/Si.sw"

        @Flag(help: "Also report NVE drift, NVT temperature and NPT pressure for Cu EMT at full length.")
        var physics = false

        func run() async throws {
            if physics { try Self.physicsReport() }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print("Stillinger–Weber Si, Langevin NVT \(temperature) K, dt 1 fs, \(steps) steps; \(cores) cores")
            for n in repeats {
                let frame = Self.diamond(repeat: n)
                let gyre = try timeGyre(frame)
                print(String(format: "%5d atoms  Gyre            %9.1f steps/s", frame.count, gyre))
                guard FileManager.default.isExecutableFile(atPath: lammps) else {
                    print("      LAMMPS not found at \(lammps): apt-get install lammps")
                    continue
                }
                let serial = try timeLAMMPS(frame, processes: 1)
                print(String(format: "%5d atoms  LAMMPS 1 proc   %9.1f steps/s   Gyre/LAMMPS = %.2f", frame.count, serial, gyre / serial))
                if cores > 1, FileManager.default.isExecutableFile(atPath: "/usr/bin/mpirun") {
                    let parallel = try timeLAMMPS(frame, processes: cores)
                    print(String(format: "%5d atoms  LAMMPS %d procs  %9.1f steps/s   Gyre/LAMMPS = %.2f",
                                 frame.count, cores, parallel, gyre / parallel))
                }
            }
        }

        /// Steps per second of Gyre's MD, setup (first force evaluation) excluded.
        func timeGyre(_ frame: Frame) throws -> Double {
            let settings = MDSettings(ensemble: .nvt, timestep: 0.001, steps: steps, temperature: temperature,
                                      sampleEvery: max(1, steps), seed: 1, thermostatDamping: 0.1, skin: 1.0)
            var md = try MolecularDynamics(potential: StillingerWeber(), frame: frame, settings: settings)
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = md.run()
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print(String(format: "      Gyre: %d steps in %.3f s, %d neighbour-list builds, final T %.0f K",
                         outcome.steps, seconds, outcome.neighborRebuilds, outcome.final.temperature))
            return Double(outcome.steps) / seconds
        }

        /// Steps per second from LAMMPS's own "Loop time" line (setup excluded the same way).
        func timeLAMMPS(_ frame: Frame, processes: Int) throws -> Double {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gyre-bench-md-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try Self.dataFile(frame).write(to: dir.appendingPathComponent("data.lmp"), atomically: true, encoding: .utf8)
            let input = """
                units metal
                atom_style atomic
                boundary p p p
                read_data data.lmp
                pair_style sw
                pair_coeff * * \(potentialFile) Si
                neighbor 1.0 bin
                neigh_modify every 1 delay 0 check yes
                velocity all create \(temperature) 1 mom yes dist gaussian
                fix 1 all nve
                fix 2 all langevin \(temperature) \(temperature) 0.1 12345 zero yes
                timestep 0.001
                thermo \(max(1, steps))
                run \(steps)

                """
            try input.write(to: dir.appendingPathComponent("in.lammps"), atomically: true, encoding: .utf8)
            let process = Process()
            if processes > 1 {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/mpirun")
                process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "\(processes)", lammps,
                                     "-in", "in.lammps", "-log", "log.lammps", "-screen", "none"]
            } else {
                process.executableURL = URL(fileURLWithPath: lammps)
                process.arguments = ["-in", "in.lammps", "-log", "log.lammps", "-screen", "none"]
            }
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let log = try String(contentsOf: dir.appendingPathComponent("log.lammps"), encoding: .utf8)
            // "Loop time of 1.234 on 1 procs for 1000 steps with 512 atoms"
            guard process.terminationStatus == 0,
                  let line = log.split(separator: "\n").first(where: { $0.hasPrefix("Loop time of") }) else {
                throw GyreError(.execution, "LAMMPS failed (exit \(process.terminationStatus))", at: SourceLocation(file: dir.path))
            }
            let words = line.split(separator: " ")
            guard words.count > 8, let seconds = Double(words[3]), let count = Double(words[8]), seconds > 0 else {
                throw GyreError(.engineOutput, "cannot read LAMMPS timing from: \(line)")
            }
            print(String(format: "      LAMMPS: %.0f steps in %.3f s on %d procs", count, seconds, processes))
            return count / seconds
        }

        static func diamond(repeat n: Int, a: Double = 5.431) -> Frame {
            let basis: [SIMD3<Double>] = [
                SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0),
                SIMD3(0.25, 0.25, 0.25), SIMD3(0.25, 0.75, 0.75), SIMD3(0.75, 0.25, 0.75), SIMD3(0.75, 0.75, 0.25),
            ]
            var positions: [SIMD3<Double>] = []
            for x in 0..<n {
                for y in 0..<n {
                    for z in 0..<n {
                        for b in basis { positions.append(a * (b + SIMD3(Double(x), Double(y), Double(z)))) }
                    }
                }
            }
            let side = a * Double(n)
            return Frame(species: Array(repeating: "Si", count: positions.count), positions: positions,
                         cell: .orthorhombic(side, side, side))
        }

        static func dataFile(_ frame: Frame) -> String {
            let m = frame.cell?.matrix ?? .identity
            var s = "Si diamond for gyre-bench md\n\n\(frame.count) atoms\n1 atom types\n\n"
            s += "0 \(m[0].x) xlo xhi\n0 \(m[1].y) ylo yhi\n0 \(m[2].z) zlo zhi\n\nMasses\n\n1 28.085\n\nAtoms # atomic\n\n"
            for (i, r) in frame.positions.enumerated() { s += "\(i + 1) 1 \(r.x) \(r.y) \(r.z)\n" }
            return s
        }
    }
}
