import Foundation
import GRDB
import Testing
@testable import GyreCore

@Suite("Journal schema")
struct JournalSchemaTests {
    @Test func migrationsCreateTheSchemaInMemory() throws {
        let journal = try Journal.inMemory()
        let tables = try journal.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == ["data_frame", "iteration", "run", "step", "task", "task_event", "training_error"])
        try journal.database.read { db in
            let notNull = try db.columns(in: "task").filter(\.isNotNull).map(\.name)
            #expect(Set(["step_id", "index", "name", "directory", "command", "state", "attempts"]).isSubset(of: Set(notNull)))
            #expect(try db.foreignKeys(on: "task").map(\.destinationTable) == ["step"])
            #expect(try db.foreignKeys(on: "task_event").map(\.destinationTable) == ["task"])
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
        }
    }

    @Test func fileJournalUsesWALAndReopens() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            let journal = try Journal.open(workdir: dir.url)
            let mode = try journal.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            let synchronous = try journal.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2)  // FULL
            try journal.recordRun(workflowYAML: "name: a\n", fingerprint: "f1")
        }
        // Reopening migrates nothing new and keeps the data.
        let again = try Journal.open(workdir: dir.url)
        #expect(try again.run()?.fingerprint == "f1")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("gyre.sqlite").path))
    }

    @Test func schemaRefusesForeignKeyViolationsAndMissingValues() throws {
        let journal = try Journal.inMemory()
        #expect(throws: (any Error).self) {
            try journal.database.write { db in
                try db.execute(sql: "INSERT INTO step (iteration_id, kind, state, started_at) VALUES (999, 'train', 'running', '2026-01-01')")
            }
        }
        #expect(throws: (any Error).self) {
            try journal.database.write { db in
                try db.execute(sql: "INSERT INTO run (workflow_yaml, fingerprint, created_at) VALUES (NULL, 'f', '2026-01-01')")
            }
        }
    }

    @Test func readOnlyOpenRequiresAnExistingJournal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: GyreError.self) { try Journal.openForReading(workdir: dir.url) }
    }
}

@Suite("Journal reading")
struct JournalReadingTests {
    @Test func statusReadsAJournalWhoseWriterHasClosed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            let writer = try Journal.open(workdir: dir.url)
            try writer.recordRun(workflowYAML: "name: c\n", fingerprint: "closed")
        }
        let reader = try Journal.openForReading(workdir: dir.url)
        #expect(try reader.status().run?.fingerprint == "closed")
    }

    @Test func measureTransitionThroughputOnAFileJournal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let journal = try Journal.open(workdir: dir.url)
        let step = try journal.beginStep(iteration: journal.beginIteration(index: 0, stageName: "s", stageIndex: 0).id, kind: .label)
        let plans = (0 ..< 500).map { TaskPlan(index: $0, name: "task.\($0)", directory: "t/\($0)", command: ["x"]) }
        let clock = ContinuousClock()
        let added = clock.now
        let tasks = try journal.addTasks(step: step.id, plans)
        let transitioned = clock.now
        for task in tasks {
            try journal.markRunning(task.id, process: ProcessIdentity(pid: 1234, startTime: 5))
            try journal.markDone(task.id)
        }
        let end = clock.now
        print("journal: addTasks(500) \(transitioned - added); 1000 transitions \(end - transitioned)")
        #expect(try journal.taskCounts(step: step.id) == [.done: 500])
        #expect(end - transitioned < .seconds(60))
    }
}
