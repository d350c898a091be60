import Foundation
import Testing
@testable import GyreCore

/// What the report reads from the journal: timings over retried attempts,
/// failures with their reasons, a run in progress.
@Suite("Reports: from the journal")
struct ReportJournalTests {
    /// One label step: task 0 fails once then succeeds, task 1 fails for good, task 2 still runs.
    static func journal(_ t0: Date) throws -> JournalSnapshot {
        let journal = try Journal.inMemory()
        let iteration = try journal.beginIteration(index: 0, stageName: "hot", stageIndex: 0, at: t0)
        let step = try journal.beginStep(iteration: iteration.id, kind: .label, at: t0)
        let tasks = try journal.addTasks(step: step.id, (0..<3).map {
            TaskPlan(index: $0, name: WorkdirLayout.taskName($0), directory: "iter.000/label/\(WorkdirLayout.taskName($0))",
                     command: ["true"])
        }, at: t0)
        try journal.markRunning(tasks[0].id, process: nil, at: t0 + 1)
        try journal.resetToPending(tasks[0].id, reason: "SCF did not converge", at: t0 + 3)
        try journal.markRunning(tasks[0].id, process: nil, at: t0 + 4)
        try journal.markDone(tasks[0].id, at: t0 + 6)
        try journal.markRunning(tasks[1].id, process: nil, at: t0 + 2)
        try journal.markFailed(tasks[1].id, reason: "timed out", at: t0 + 5)
        try journal.markRunning(tasks[2].id, process: nil, at: t0 + 8)
        return try journal.reportSnapshot()
    }

    @Test("task time sums every attempt; idle time is what no attempt covered")
    func timings() throws {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let snapshot = try Self.journal(t0)
        let report = RunReportBuilder(workdir: FileManager.default.temporaryDirectory, predictor: nil).build(snapshot, now: t0 + 10)
        let row = try #require(report.iterations.first)
        #expect(row.state == "running" && row.converged == nil && row.frames == nil)
        let step = try #require(row.steps.first)
        #expect(step.kind == "label" && step.wallSeconds == 10)
        // Attempts: [1,3) + [4,6) + [2,5) + [8,10) (still running, up to now) = 2 + 2 + 3 + 2.
        #expect(step.taskSeconds == 9)
        // Covered: [1,6) ∪ [8,10) = 7 s of 10.
        #expect(step.idleSeconds == 3)
        #expect(step.tasks == 3 && step.tasksDone == 1 && step.tasksFailed == 1)
        #expect(report.stages == [StageVerdict(name: "hot", index: 0, iterations: [0], converged: false)])
    }

    @Test("failures list retried and final attempts with their reasons")
    func failures() throws {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let (rows, omitted) = RunReportBuilder.failures(try Self.journal(t0))
        #expect(omitted == 0)
        #expect(rows.map(\.reason) == ["SCF did not converge", "timed out"])
        #expect(rows.map(\.final) == [false, true])
        #expect(rows.allSatisfy { $0.iteration == 0 && $0.step == "label" })
    }

    @Test("a label whose frame is in the data set already is counted as a duplicate, not as added")
    func duplicateLabels() throws {
        let journal = try Journal.inMemory()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        var added = 0
        for index in 0..<2 {
            let iteration = try journal.beginIteration(index: index, stageName: "warm", stageIndex: 0, at: t0)
            // Iteration 0: 3 labels, all new; iteration 1: 3 labels, one repeating a frame of iteration 0.
            let rows = (0..<3).map { (i: Int) -> DataFrameRecord in
                let frame: IncomingFrame = DataSetIntakeTests.incoming(Sample.frame(seed: UInt64(10 * index + i)))
                let place = DataPlace(dataFile: "data/iter.00\(index).extxyz", frameIndex: i)
                return DataFrameRecord(iterationID: iteration.id, frame, place: place, duplicate: index == 1 && i == 2,
                                       contentHash: "\(index).\(i)")
            }
            added += rows.filter { !$0.duplicate }.count
            try journal.recordDataFrames(iteration: iteration.id, rows)
            try journal.setSummary(IterationSummary(sampled: 100, accurate: 50, candidate: 50, failed: 0, picked: 3, labelled: 3,
                                                    labelsFailed: 0, trustLo: 0.1, trustHi: 0.3, converged: false),
                                   ofIteration: iteration.id)
            try journal.finishIteration(iteration.id, at: t0 + 1)
        }
        let report = RunReportBuilder(workdir: FileManager.default.temporaryDirectory, predictor: nil)
            .build(try journal.reportSnapshot(), now: t0 + 2)
        let labels = report.iterations.compactMap(\.labels)
        #expect(labels.map(\.done) == [3, 3])
        #expect(labels.map(\.duplicates) == [0, 1])
        #expect(labels.map(\.cumulative) == [3, 5])
        #expect(report.run.labels == added)
        #expect(report.iterations[1].labelCells == ["3", "3 (1 dup)", "0"])
    }

    @Test("the workflow name comes from the journaled YAML")
    func name() {
        #expect(RunReportBuilder.workflowName("# c\nname: cu-quickstart   # note\nseed: 7\n") == "cu-quickstart")
        #expect(RunReportBuilder.workflowName("seed: 7\n") == nil)
    }
}
