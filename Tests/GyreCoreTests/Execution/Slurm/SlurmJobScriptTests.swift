import Foundation
import GyreTestSupport
import Testing
@testable import GyreCore

/// Job scripts without a cluster: quoting, exit-status files, options, template.
@Suite("Slurm job scripts")
struct SlurmJobScriptTests {
    static func settings(
        array: Bool = true, groupSize: Int = 1, maxQueued: Int = 200, extra: [String] = [], setup: [String] = []
    ) -> SlurmSettings {
        SlurmSettings(
            partition: "cpu", account: nil, qos: nil, time: "00:10:00", nodes: nil, ntasks: 4, cpusPerTask: nil,
            gpus: nil, memory: "2G", array: array, arrayThrottle: nil, groupSize: groupSize, maxQueued: maxQueued,
            pollSeconds: 0.2, extra: extra, setup: setup)
    }

    /// Runs `script` under bash as Slurm would run array element `element`.
    static func runUnderBash(_ script: String, in directory: URL, element: Int = 0) async throws -> TaskOutcome {
        let file = directory.appendingPathComponent("job.sh")
        try Data(script.utf8).write(to: file)
        return try await ExternalTool.run("/bin/bash", [file.path], in: directory,
                                          environment: ["SLURM_ARRAY_TASK_ID": String(element)]).outcome
    }

    @Test func hostileDirectoryNamesAndValuesAreNotInterpreted() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let hostile = root.url.appendingPathComponent("a b'$(touch pwned)")
        let task = hostile.appendingPathComponent("task `touch pwned2` \"$HOME\"")
        try FileManager.default.createDirectory(at: task, withIntermediateDirectories: true)
        let spec = TaskSpec(
            id: 1, directory: task, command: ["/bin/echo", "$(touch pwned3)", "it's", "; touch pwned4"],
            environment: ["GYRE_X": "'$(touch pwned5)'", "bad name": "x"])
        let script = SlurmJobScript(settings: Self.settings(), template: .builtin).text(units: [[spec]])

        #expect(try await Self.runUnderBash(script, in: root.url) == .exited(status: 0))
        let made = try FileManager.default.subpathsOfDirectory(atPath: root.url.path)
        #expect(!made.contains { $0.split(separator: "/").last?.hasPrefix("pwned") ?? false }, "files made: \(made)")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/pwned"))
        let output = try String(contentsOf: task.appendingPathComponent("stdout.log"), encoding: .utf8)
        #expect(output == "$(touch pwned3) it's ; touch pwned4\n")
        #expect(SlurmJobScript.recordedOutcome(of: spec) == .exited(status: 0))
    }

    @Test func eachArrayElementRunsItsUnitAndRecordsExitStatuses() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let specs = (0..<4).map { i in
            TaskSpec(id: Int64(i), directory: root.url.appendingPathComponent("t\(i)"), command: ["/bin/sh", "-c", "echo $GYRE_I; exit \(i)"],
                     environment: ["GYRE_I": "task \(i)"])
        }
        for spec in specs { try FileManager.default.createDirectory(at: spec.directory, withIntermediateDirectories: true) }
        let script = SlurmJobScript(settings: Self.settings(), template: .builtin)
            .text(units: [[specs[0], specs[1]], [specs[2], specs[3]]])

        _ = try await Self.runUnderBash(script, in: root.url, element: 1)
        #expect(SlurmJobScript.recordedOutcome(of: specs[0]) == nil)
        #expect(SlurmJobScript.recordedOutcome(of: specs[2]) == .exited(status: 2))
        #expect(SlurmJobScript.recordedOutcome(of: specs[3]) == .exited(status: 3))
        let output = try String(contentsOf: specs[3].directory.appendingPathComponent("stdout.log"), encoding: .utf8)
        #expect(output == "task 3\n")
    }

    @Test func aTaskPastItsOwnTimeoutRecordsTimeout() async throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let spec = TaskSpec(id: 1, directory: root.url, command: ["/bin/sleep", "30"], timeout: .seconds(1))
        let script = SlurmJobScript(settings: Self.settings(), template: .builtin).text(units: [[spec]])
        _ = try await Self.runUnderBash(script, in: root.url)
        #expect(SlurmJobScript.recordedOutcome(of: spec) == .timedOut)
    }

    @Test func sbatchOptionsComeFromTheSettings() {
        let settings = Self.settings(extra: ["#SBATCH --constraint=avx2", "--exclusive"], setup: ["module load qe"])
        let script = SlurmJobScript(settings: settings, template: .builtin)
        #expect(script.sbatchOptions == ["--partition=cpu", "--time=00:10:00", "--ntasks=4", "--mem=2G", "--constraint=avx2", "--exclusive"])
        let text = script.text(units: [])
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.contains("\n#SBATCH --partition=cpu\n"))
        #expect(text.contains("\nmodule load qe\n"))
        // Every #SBATCH line precedes the first command, or sbatch ignores it.
        let lines = text.split(separator: "\n")
        let lastOption = lines.lastIndex { $0.hasPrefix("#SBATCH") } ?? 0
        let firstCommand = lines.firstIndex { !$0.hasPrefix("#") } ?? lines.count
        #expect(lastOption < firstCommand)
    }

    @Test func theBuiltinTemplateIsTheRepositoryTemplate() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: repository.appendingPathComponent("Templates/slurm/job.sh"), encoding: .utf8)
        #expect(file == SlurmJobTemplate.builtinText)
        #expect(throws: GyreError.self) { try SlurmJobTemplate(text: "#!/bin/bash\necho no tasks\n", origin: "t") }
    }

    @Test(arguments: [
        ("PENDING", false), ("RUNNING", false), ("COMPLETING", false), ("COMPLETED", true), ("FAILED", true),
        ("TIMEOUT", true), ("CANCELLED by 0", true), ("NODE_FAIL", true), ("PREEMPTED", true), ("OUT_OF_MEMORY", true),
    ])
    func statesMapToFinality(state: String, final: Bool) {
        #expect(SlurmJobState(Substring(state)).isFinal == final)
    }

    @Test func aTaskKilledWhenSlurmEndedItsJobIsExplainedByTheJobsState() {
        let cancelled = SlurmJobState("CANCELLED by 0")
        #expect(cancelled.outcome(recorded: .exited(status: 143)) == .lost("the job was cancelled outside gyre (CANCELLED)"))
        #expect(cancelled.outcome(recorded: .exited(status: 0)) == .exited(status: 0))
        #expect(cancelled.outcome(recorded: nil) == cancelled.outcomeWithoutExitStatus)
        #expect(SlurmJobState("TIMEOUT").outcome(recorded: .exited(status: 143)) == .timedOut)
        #expect(SlurmJobState("OUT_OF_MEMORY").outcome(recorded: .exited(status: 137)) == .lost("the job ran out of memory (OUT_OF_MEMORY)"))
        // The task's own status stands when the job ended by itself.
        #expect(SlurmJobState("COMPLETED").outcome(recorded: .exited(status: 143)) == .exited(status: 143))
        #expect(SlurmJobState("FAILED").outcome(recorded: .exited(status: 2)) == .exited(status: 2))
    }

    @Test func squeueOutputIsParsedPerArrayElement() {
        let statuses = SlurmQueue.parse("12_0|RUNNING|None\n12_1|PENDING|JobArrayTaskLimit\n13|TIMEOUT|TimeLimit\n", separator: "|")
        #expect(statuses["12_0"]?.state == .running)
        #expect(statuses["12_1"]?.reason == "JobArrayTaskLimit")
        #expect(statuses["13"]?.state == .timeout)
        #expect(SlurmJobState("TIMEOUT").outcomeWithoutExitStatus == .timedOut)
        #expect(SlurmJobState("CANCELLED").outcomeWithoutExitStatus == .lost("the job was cancelled outside gyre (CANCELLED)"))
    }
}
