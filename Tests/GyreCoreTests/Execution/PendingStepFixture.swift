import Foundation
@testable import GyreCore

/// A journal with one step whose tasks, all pending, run one shell command each.
enum PendingStepFixture {
    /// A journal in `root` with one `kind` step of `count` tasks running `command` in `task.NNN`
    /// (the directories are created).
    static func step(_ root: URL, kind: StepKind, count: Int, command: String) throws -> (Journal, [TaskRecord]) {
        let journal = try Journal.open(workdir: root)
        try journal.recordRun(workflowYAML: "name: r\n", fingerprint: "f")
        let iteration = try journal.beginIteration(index: 0, stageName: "s", stageIndex: 0)
        let step = try journal.beginStep(iteration: iteration.id, kind: kind)
        let tasks = try journal.addTasks(step: step.id, (0..<count).map { i in
            TaskPlan(index: i, name: String(format: "task.%03d", i), directory: String(format: "task.%03d", i),
                     command: ["/bin/sh", "-c", command])
        })
        for task in tasks {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(task.directory), withIntermediateDirectories: true)
        }
        return (journal, tasks)
    }
}
