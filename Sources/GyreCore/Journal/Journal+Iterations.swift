import Foundation
import GRDB

extension Journal {
    /// Begins iteration `index` of a stage, or returns it if it was already
    /// begun (a resume re-enters the iteration it stopped in).
    /// - Throws: `GyreError(.journal)` if iteration `index` exists for another stage.
    @discardableResult
    public func beginIteration(index: Int, stageName: String, stageIndex: Int, at date: Date = Date()) throws -> IterationRecord {
        try write("begin iteration \(index)") { db in
            if let existing = try IterationRecord.filter(IterationRecord.CodingKeys.index == index).fetchOne(db) {
                guard existing.stageName == stageName, existing.stageIndex == stageIndex else {
                    throw GyreError(.journal, """
                        iteration \(index) was begun in stage \(existing.stageName) (#\(existing.stageIndex)), \
                        not \(stageName) (#\(stageIndex))
                        """)
                }
                return existing
            }
            try db.execute(
                sql: "INSERT INTO iteration (\"index\", stage_name, stage_index, state, started_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [index, stageName, stageIndex, PhaseState.running, date]
            )
            return try fetchExisting(IterationRecord.self, db.lastInsertedRowID, db)
        }
    }

    /// Stores the iteration's summary as JSON (replacing any earlier one).
    public func setSummary<Summary: Encodable>(_ summary: Summary, ofIteration iterationID: Int64) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: String
        do {
            json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        } catch {
            throw GyreError(.journal, "cannot encode the summary of iteration id \(iterationID)", cause: error)
        }
        try write("store the summary of iteration id \(iterationID)") { db in
            var iteration = try fetchExisting(IterationRecord.self, iterationID, db)
            iteration.summary = json
            try iteration.update(db)
        }
    }

    /// Marks an iteration done or failed.
    @discardableResult
    public func finishIteration(_ iterationID: Int64, state: PhaseState = .done, at date: Date = Date()) throws -> IterationRecord {
        try write("finish iteration id \(iterationID)") { db in
            var iteration = try fetchExisting(IterationRecord.self, iterationID, db)
            iteration.state = state
            iteration.finishedAt = date
            try iteration.update(db)
            return iteration
        }
    }

    /// Begins a step of an iteration, or returns it if it was already begun.
    @discardableResult
    public func beginStep(iteration iterationID: Int64, kind: StepKind, at date: Date = Date()) throws -> StepRecord {
        try write("begin the \(kind.rawValue) step of iteration id \(iterationID)") { db in
            if let existing = try StepRecord
                .filter(StepRecord.CodingKeys.iterationID == iterationID && StepRecord.CodingKeys.kind == kind)
                .fetchOne(db)
            {
                return existing
            }
            _ = try fetchExisting(IterationRecord.self, iterationID, db)
            try db.execute(
                sql: "INSERT INTO step (iteration_id, kind, state, started_at) VALUES (?, ?, ?, ?)",
                arguments: [iterationID, kind, PhaseState.running, date]
            )
            return try fetchExisting(StepRecord.self, db.lastInsertedRowID, db)
        }
    }

    /// Marks a step done or failed.
    @discardableResult
    public func finishStep(_ stepID: Int64, state: PhaseState = .done, at date: Date = Date()) throws -> StepRecord {
        try write("finish step id \(stepID)") { db in
            var step = try fetchExisting(StepRecord.self, stepID, db)
            step.state = state
            step.finishedAt = date
            try step.update(db)
            return step
        }
    }

    /// All iterations, in order.
    public func iterations() throws -> [IterationRecord] {
        try read("list iterations") { db in
            try IterationRecord.order(IterationRecord.CodingKeys.index).fetchAll(db)
        }
    }

    /// The steps of an iteration, in the order they were begun.
    public func steps(ofIteration iterationID: Int64) throws -> [StepRecord] {
        try read("list steps") { db in
            try StepRecord.filter(StepRecord.CodingKeys.iterationID == iterationID)
                .order(StepRecord.CodingKeys.id).fetchAll(db)
        }
    }
}
