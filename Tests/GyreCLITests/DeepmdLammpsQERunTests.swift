import Foundation
import Testing

/// One iteration of Workflows/si-deepmd-lammps-qe.yaml with the real stack:
/// DeePMD-kit trains and freezes the ensemble, LAMMPS explores with
/// `pair_style deepmd`, pw.x labels, and the journal and report carry the
/// members' training errors. Shrunk (2 members, 100 steps, 6 initial frames)
/// to stay within a few minutes on two shared cores.
@Suite(.serialized, .enabled(if: DeepmdStack.available, DeepmdStack.skipMessage))
struct DeepmdLammpsQERunTests {
    static func shrunkWorkflow(in dir: URL, extra: [(String, String)] = []) throws -> URL {
        let root = GyreBinary.repositoryRoot
        var text = try String(contentsOf: root.appendingPathComponent("Workflows/si-deepmd-lammps-qe.yaml"), encoding: .utf8)
        let edits = [
            ("workdir: ../runs/si-deepmd-lammps-qe", "workdir: run"),
            ("../Templates/", root.appendingPathComponent("Templates").path + "/"),
            ("      count: 12", "      count: 6"),
            ("  models: 4", "  models: 2"),
            ("  steps: 400\n", "  steps: 100\n"),
            ("      steps: 1000", "      steps: 300"),
            ("      max_iterations: 2", "      max_iterations: 1"),
            ("  max_per_iteration: 8", "  max_per_iteration: 4"),
        ] + extra
        for (old, new) in edits {
            let edited = text.replacingOccurrences(of: old, with: new)
            try #require(edited != text, "the edit `\(old)` no longer applies to the workflow")
            text = edited
        }
        let url = dir.appendingPathComponent("si-deepmd-lammps-qe.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func oneIterationWithTheRealStack() async throws {
        let dir = try GyreProcess.scratch("deepmd-stack")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try Self.shrunkWorkflow(in: dir)
        let env = ["PATH": "\(DeepmdStack.bin.path):/usr/bin:/bin"]
        let run = try await GyreProcess.run(["run", workflow.path], in: dir, environment: env, limit: 600)
        // 0: converged in its one iteration (and trained the final ensemble); 1: stopped at max_iterations.
        #expect(run.status == 0 || (run.status == 1 && run.stderr.contains("did not converge")), "\(run.stderr)")
        let work = dir.appendingPathComponent("run")
        for k in 0..<2 {
            let member = work.appendingPathComponent("iter.000/train/model.\(k)")
            #expect(FileManager.default.fileExists(atPath: member.appendingPathComponent("frozen_model.pb").path))
        }
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("data/deepmd/Si8/type.raw").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("iter.000/explore/task.000/model_devi.out").path))

        let report = try await GyreProcess.run(["report", "--json", work.path], in: dir, environment: env)
        #expect(report.status == 0, "\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        let first = try #require(iterations.first)
        let training = try #require(first["training"] as? [String: Any], "the members' lcurve.out errors, from the journal")
        #expect(training["members"] as? Int == 2)
        #expect((training["force_rmse"] as? Double).map { $0 > 0 && $0.isFinite } == true)
        let steps = try #require(first["steps"] as? [[String: Any]])
        #expect(Set(steps.compactMap { $0["kind"] as? String }).isSuperset(of: ["train", "explore", "select", "label", "ingest"]))
    }
}

/// The same iteration with training submitted to Slurm: `dp train`, `dp freeze`
/// and `dp compress` run as one job array task per member, and LAMMPS explores
/// with the compressed models.
@Suite(.serialized, .enabled(if: DeepmdStack.available, DeepmdStack.skipMessage),
       .enabled("install slurm-wlm munge and start Tests/Scripts/slurm-cluster.sh") { await SlurmCluster.conf.value != nil })
struct DeepmdSlurmTrainingTests {
    @Test func trainsFreezesAndCompressesInSlurmJobs() async throws {
        let dir = try GyreProcess.scratch("deepmd-slurm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try DeepmdLammpsQERunTests.shrunkWorkflow(in: dir, extra: [(
            "  init_start_lr: 0.0005\n",
            "  init_start_lr: 0.0005\n  compress: true\n  executor:\n    slurm: {time: \"00:20:00\", array: true, poll_seconds: 1}\n"
        )])
        let env = ["PATH": "\(DeepmdStack.bin.path):/usr/bin:/bin", "SLURM_CONF": await SlurmCluster.conf.value ?? ""]
        let run = try await GyreProcess.run(["run", workflow.path], in: dir, environment: env, limit: 900)
        #expect(run.status == 0 || (run.status == 1 && run.stderr.contains("did not converge")), "\(run.stderr)")
        let work = dir.appendingPathComponent("run")
        for k in 0..<2 {
            let member = work.appendingPathComponent("iter.000/train/model.\(k)")
            #expect(FileManager.default.fileExists(atPath: member.appendingPathComponent("frozen_model.pb").path))
            #expect(FileManager.default.fileExists(atPath: member.appendingPathComponent("compressed_model.pb").path))
        }
        let input = try String(contentsOf: work.appendingPathComponent("iter.000/explore/task.000/in.lammps"), encoding: .utf8)
        #expect(input.contains("iter.000/train/model.1/compressed_model.pb"), "LAMMPS explores with the compressed models")
        let jobs = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("slurm").path)
        #expect(!jobs.isEmpty, "training went through Slurm job scripts")
    }
}

/// The real engines the stack needs: dp and DeePMD-kit's lmp, pw.x and its Si pseudopotential.
enum DeepmdStack {
    static let skipMessage: Comment = """
        skipped: needs dp and lmp from deepmd-kit (install deepmd-kit[cpu]==3.2.0 and deepmd-kit[lmp]==3.2.0 into \
        .venv-deepmd, see .ci/run) and pw.x with /usr/share/espresso/pseudo/Si.pbe-rrkj.UPF \
        (apt-get install quantum-espresso quantum-espresso-data)
        """

    /// $GYRE_DEEPMD_BIN, else <repo>/.venv-deepmd/bin.
    static let bin: URL = ProcessInfo.processInfo.environment["GYRE_DEEPMD_BIN"].map { URL(fileURLWithPath: $0) }
        ?? GyreBinary.repositoryRoot.appendingPathComponent(".venv-deepmd/bin")

    static var available: Bool {
        let fm = FileManager.default
        return fm.isExecutableFile(atPath: bin.appendingPathComponent("dp").path)
            && fm.isExecutableFile(atPath: bin.appendingPathComponent("lmp").path)
            && fm.isExecutableFile(atPath: "/usr/bin/pw.x")
            && fm.fileExists(atPath: "/usr/share/espresso/pseudo/Si.pbe-rrkj.UPF")
    }
}
