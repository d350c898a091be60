import Foundation
import GRDB

/// The journal rows a report needs, read in one consistent snapshot (safe
/// while `gyre run` writes).
struct JournalSnapshot: Sendable {
    var run: RunRecord?
    var iterations: [IterationRecord]
    var stepsByIteration: [Int64: [StepRecord]]
    var tasksByStep: [Int64: [TaskRecord]]
    var eventsByTask: [Int64: [TaskEvent]]
    /// Final errors trained models reported (DeePMD-kit), by train task id.
    var trainingErrorsByTask: [Int64: TrainingErrorRecord] = [:]
    var dataFrameCounts: [DataFrameCount] = []
}

extension Journal {
    /// Every iteration, step, task and task event of the run.
    func reportSnapshot() throws -> JournalSnapshot {
        try read("read the journal for a report") { db in
            let steps = try StepRecord.order(StepRecord.CodingKeys.id).fetchAll(db)
            let tasks = try TaskRecord.order(TaskRecord.CodingKeys.id).fetchAll(db)
            let events = try TaskEvent.order(TaskEvent.CodingKeys.id).fetchAll(db)
            return JournalSnapshot(
                run: try RunRecord.order(RunRecord.CodingKeys.id).fetchOne(db),
                iterations: try IterationRecord.order(IterationRecord.CodingKeys.index).fetchAll(db),
                stepsByIteration: Dictionary(grouping: steps, by: \.iterationID),
                tasksByStep: Dictionary(grouping: tasks, by: \.stepID),
                eventsByTask: Dictionary(grouping: events, by: \.taskID),
                trainingErrorsByTask: Dictionary(
                    try TrainingErrorRecord.fetchAll(db).map { ($0.taskID, $0) }, uniquingKeysWith: { a, _ in a }),
                dataFrameCounts: try Journal.dataFrameCounts(db))
        }
    }
}
