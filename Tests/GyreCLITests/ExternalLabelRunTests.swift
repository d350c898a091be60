import Foundation
import GyreTestSupport
import GyreCore
import Testing

/// The whole loop with `label.executor: external` and real pw.x: gyre writes
/// each label task's pw.in and waits; this test plays the other cluster — it
/// runs pw.x on copies of the inputs and copies the outputs back, out of
/// order, one first truncated then replaced — and the run finishes by itself.
@Suite(
    "gyre run: labels from elsewhere", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"),
    .enabled(if: QuantumEspresso.pwx != nil && QuantumEspresso.hasSiPseudo,
             "skipped: needs pw.x on PATH and /usr/share/espresso/pseudo/Si.pbe-rrkj.UPF (apt-get install quantum-espresso)"))
struct ExternalLabelRunTests {

    /// Workflows/si-qe-external.yaml made small: 2 initial Si8 frames, one
    /// short iteration labelling at most 2 frames.
    static func workflow(in dir: URL) throws -> URL {
        let template = GyreBinary.repositoryRoot.appendingPathComponent("Templates/qe/pw-quick.in").path
        let text = """
            name: si-qe-external-test
            seed: 11
            workdir: run
            elements: [Si]
            data:
              - generate: {lattice: diamond, a: 5.43, repeat: [1, 1, 1], rattle: 0.05, strain: 0.02, count: 2}
            systems:
              si8: {lattice: diamond, a: 5.43, repeat: [1, 1, 1]}
            train: {engine: builtin, models: 2, init_from_previous: false}
            explore:
              engine: builtin
              stages:
                - name: warm
                  systems: [si8]
                  ensemble: nvt
                  temperatures: [300]
                  steps: 200
                  timestep: 0.002
                  sample_every: 20
                  max_iterations: 1
                  converged_when: {accurate: 0.01}
            select:
              trust: {lo: 0.02, hi: 50.0}
              max_per_iteration: 2
              strategy: highest
            label:
              engine: qe
              template: \(template)
              command: pw.x -in pw.in
              pseudo_dir: /usr/share/espresso/pseudo
              pseudopotentials: {Si: Si.pbe-rrkj.UPF}
              kspacing: 0.6
              executor:
                external: {poll_seconds: 0.2}
            executor:
              local: {slots: 2}
            """
        let url = dir.appendingPathComponent("si-qe-external.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The waiting label tasks' directories (relative), once the run has at least `minimum`; nil when it
    /// exited first. The executor journals its tasks as waiting one by one, so a poll can see some of them.
    /// Limits are generous: on a loaded machine this task can be delayed by minutes.
    static func awaited(
        _ workdir: URL, run: Process, excluding done: Set<String>, minimum: Int = 1, limit: Double = 900
    ) async throws -> [String]? {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if let journal = try? Journal.openForReading(workdir: workdir),
               let waiting = try? journal.tasks(in: [.waiting]).map(\.directory).filter({ !done.contains($0) }),
               waiting.count >= minimum {
                return waiting
            }
            if !run.isRunning { return nil }
            try await Task.sleep(for: .seconds(0.2))
        }
        Issue.record("no label task became waiting within \(limit) s")
        return nil
    }

    /// Runs pw.x on a copy of each task's pw.in in `remote` (the "other
    /// cluster"), two at a time; returns each task's complete pw.out.
    static func compute(_ tasks: [String], workdir: URL, remote: URL) async throws -> [String: Data] {
        let pwx = try #require(QuantumEspresso.pwx)
        var outputs: [String: Data] = [:]
        for batch in stride(from: 0, to: tasks.count, by: 2).map({ Array(tasks[$0..<min($0 + 2, tasks.count)]) }) {
            try await withThrowingTaskGroup(of: (String, Data).self) { group in
                for task in batch {
                    let dir = remote.appendingPathComponent(task)
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: workdir.appendingPathComponent(task).appendingPathComponent("pw.in"),
                                                     to: dir.appendingPathComponent("pw.in"))
                    group.addTask {
                        let run = try await ExternalTool.run(pwx, ["-in", "pw.in"], in: dir, environment: ["OMP_NUM_THREADS": "1"])
                        #expect(run.succeeded, "pw.x \(run.outcome) for \(task): \(run.stderr)")
                        return (task, try Data(contentsOf: dir.appendingPathComponent("stdout.log")))
                    }
                }
                for try await (task, output) in group { outputs[task] = output }
            }
        }
        return outputs
    }

    /// Copies an output back the way a copy-back tool finishes: written beside, then renamed in.
    static func deliver(_ data: Data, to task: String, workdir: URL) throws {
        let target = workdir.appendingPathComponent(task).appendingPathComponent("pw.out")
        let partial = target.deletingLastPathComponent().appendingPathComponent(".pw.out.copying")
        try data.write(to: partial)
        guard rename(partial.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func waitFor(_ what: String, limit: Double = 600, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .seconds(0.2))
        }
        Issue.record("timed out after \(limit) s waiting for \(what)")
    }

    @Test func theLoopWaitsForCopiedOutputsAndFinishes() async throws {
        let dir = try GyreProcess.scratch("external")
        defer { try? FileManager.default.removeItem(at: dir) }
        let workflow = try Self.workflow(in: dir)
        let workdir = dir.appendingPathComponent("run")
        let remote = dir.appendingPathComponent("remote")
        let (run, _, errURL) = try GyreProcess.start(["run", workflow.path], in: dir)
        defer { if run.isRunning { run.terminate() } }
        let stderr = { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        let journal = { try Journal.openForReading(workdir: workdir) }
        let state = { (task: String) in try journal().tasks(in: [.done, .waiting, .failed, .pending, .running])
            .first { $0.directory == task }?.state }

        // The initial labels: both tasks wait, and `gyre status` lists them.
        let initial = try #require(try await Self.awaited(workdir, run: run, excluding: [], minimum: 2))
        #expect(initial == ["init/label/task.000", "init/label/task.001"])
        let status = try await GyreProcess.run(["status", "run"], in: dir, limit: 30)
        #expect(status.stdout.contains("awaiting outputs made elsewhere, in 2 task directories"), "\(status.stdout)")
        #expect(status.stdout.contains(workdir.appendingPathComponent("init/label/task.001").path), "\(status.stdout)")
        let outputs = try await Self.compute(initial, workdir: workdir, remote: remote)

        // Out of order: task.001 arrives first; task.000 arrives cut off mid-way.
        let full = try #require(outputs["init/label/task.000"])
        try Self.deliver(try #require(outputs["init/label/task.001"]), to: "init/label/task.001", workdir: workdir)
        try Self.deliver(full.prefix(full.count / 2), to: "init/label/task.000", workdir: workdir)
        try await Self.waitFor("task.001 accepted") { try state("init/label/task.001") == .done }
        try await Self.waitFor("the truncated output reported") { stderr().contains("task.000: outputs refused, still waiting") }
        #expect(try state("init/label/task.000") == .waiting, "a truncated output must not be accepted")
        let still = try await GyreProcess.run(["status", "run"], in: dir, limit: 30)
        #expect(still.stdout.contains("awaiting outputs made elsewhere, in 1 task directory"), "\(still.stdout)")
        #expect(still.stdout.contains("init/label/task.000"))
        #expect(!still.stdout.contains("init/label/task.001"))
        // Replaced by the complete output: accepted, and the loop goes on by itself.
        try Self.deliver(full, to: "init/label/task.000", workdir: workdir)

        // Every later label task is delivered as soon as it waits, until the run ends.
        var delivered: Set<String> = Set(initial)
        while let tasks = try await Self.awaited(workdir, run: run, excluding: delivered, limit: 900) {
            for (task, data) in try await Self.compute(tasks, workdir: workdir, remote: remote) {
                try Self.deliver(data, to: task, workdir: workdir)
            }
            delivered.formUnion(tasks)
        }
        await GyreProcess.exit(of: run, limit: 900, "gyre run with external labels")
        #expect(run.terminationStatus == 0, "\(stderr())")
        #expect(delivered.contains { $0.hasPrefix("iter.000/label/") }, "iteration 0 labelled frames from elsewhere too: \(delivered)")
        #expect(stderr().contains("converged"), "\(stderr())")
        #expect(FileManager.default.fileExists(atPath: workdir.appendingPathComponent("models/final/model.0/model.json").path))

        // Every delivered output is in the data set, labelled by qe, with its task as provenance.
        let rows = try journal().dataFrames()
        #expect(Set(rows.compactMap { $0.engine == "qe" ? $0.source : nil }) == delivered)
        let frames = try WorkdirLayout(root: workdir).dataFiles().flatMap { try ExtXYZ.read($0) }
        #expect(frames.count == rows.filter { !$0.duplicate }.count)
        #expect(frames.allSatisfy { $0.isLabelled && $0.virial != nil })
        #expect(try journal().tasks(in: [.waiting]).isEmpty)
    }
}

/// Where this machine's Quantum ESPRESSO is, if installed.
enum QuantumEspresso {
    static let pwx = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/pw.x" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    static let hasSiPseudo = FileManager.default.fileExists(atPath: "/usr/share/espresso/pseudo/Si.pbe-rrkj.UPF")
}
