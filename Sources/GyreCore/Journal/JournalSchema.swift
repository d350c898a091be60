import GRDB

/// The journal's schema as named, append-only migrations. Never edit a
/// registered migration: add a new one, so every existing `gyre.sqlite` can
/// be brought forward.
enum JournalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 run, iterations, steps, tasks, task events") { db in
            try createV1(db)
        }
        migrator.registerMigration("v2 data frames: provenance of every labelled frame") { db in
            try createDataFrames(db)
        }
        migrator.registerMigration("v3 training errors: final RMSEs of each trained model") { db in
            try createTrainingErrors(db)
        }
        return migrator
    }

    private static func oneOf<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> String
    where T.RawValue == String {
        "\(column) IN (" + T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    private static func createV1(_ db: Database) throws {
        try db.create(table: "run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("workflow_yaml", .text).notNull()
            t.column("fingerprint", .text).notNull()
            t.column("created_at", .datetime).notNull()
        }
        try db.create(table: "iteration") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("index", .integer).notNull().unique()
            t.column("stage_name", .text).notNull()
            t.column("stage_index", .integer).notNull()
            t.column("state", .text).notNull().check(sql: oneOf("state", PhaseState.self))
            t.column("started_at", .datetime).notNull()
            t.column("finished_at", .datetime)
            t.column("summary", .text).check(sql: "summary IS NULL OR json_valid(summary)")
        }
        try db.create(table: "step") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("iteration_id", .integer).notNull().indexed().references("iteration", onDelete: .restrict)
            t.column("kind", .text).notNull().check(sql: oneOf("kind", StepKind.self))
            t.column("state", .text).notNull().check(sql: oneOf("state", PhaseState.self))
            t.column("started_at", .datetime).notNull()
            t.column("finished_at", .datetime)
            t.uniqueKey(["iteration_id", "kind"])
        }
        try db.create(table: "task") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("step_id", .integer).notNull().indexed().references("step", onDelete: .restrict)
            t.column("index", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("directory", .text).notNull()
            t.column("command", .text).notNull().check(sql: "json_valid(command)")
            t.column("state", .text).notNull().check(sql: oneOf("state", TaskState.self))
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("exit_status", .integer)
            t.column("failure_reason", .text)
            t.column("started_at", .datetime)
            t.column("finished_at", .datetime)
            t.column("process_group_id", .integer)
            t.column("process_start_time", .integer)
            t.column("scheduler_job_id", .text)
            t.uniqueKey(["step_id", "index"])
        }
        try db.create(index: "task_on_state", on: "task", columns: ["step_id", "state"])
        try db.create(table: "task_event") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("task_id", .integer).notNull().indexed().references("task", onDelete: .restrict)
            t.column("at", .datetime).notNull()
            t.column("from_state", .text).check(sql: "from_state IS NULL OR " + oneOf("from_state", TaskState.self))
            t.column("to_state", .text).notNull().check(sql: oneOf("to_state", TaskState.self))
            t.column("detail", .text)
        }
        // The rules that keep finished work safe hold in the file itself, not
        // only in Swift: a done task is frozen, and the event log only grows.
        try db.execute(sql: """
            CREATE TRIGGER task_done_is_final BEFORE UPDATE ON task WHEN OLD.state = 'done'
            BEGIN SELECT RAISE(ABORT, 'a done task is final'); END;
            CREATE TRIGGER task_never_deleted BEFORE DELETE ON task
            BEGIN SELECT RAISE(ABORT, 'tasks are never deleted'); END;
            CREATE TRIGGER task_event_no_update BEFORE UPDATE ON task_event
            BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;
            CREATE TRIGGER task_event_no_delete BEFORE DELETE ON task_event
            BEGIN SELECT RAISE(ABORT, 'task events are append-only'); END;
            """)
    }

    /// One row per labelled frame an ingest considered: where its content
    /// lives in the data set (file and index — for a duplicate, those of the
    /// frame it repeats), where it came from (task or given file, label
    /// engine) and its content digest.
    private static func createDataFrames(_ db: Database) throws {
        try db.create(table: "data_frame") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("iteration_id", .integer).notNull().indexed().references("iteration", onDelete: .restrict)
            t.column("data_file", .text).notNull()
            t.column("frame_index", .integer).notNull()
            t.column("duplicate", .boolean).notNull()
            t.column("task_id", .integer).references("task", onDelete: .restrict)
            t.column("source", .text).notNull()
            t.column("engine", .text).notNull()
            t.column("content_hash", .text).notNull()
        }
        // Each place in the data set holds one frame; duplicates only point at it.
        try db.create(index: "data_frame_place", on: "data_frame", columns: ["data_file", "frame_index"],
                      options: .unique, condition: Column("duplicate") == false)
    }

    /// One row per train task whose trainer reported final errors (DeePMD-kit's
    /// lcurve.out); validation columns stay NULL without validation data.
    private static func createTrainingErrors(_ db: Database) throws {
        try db.create(table: "training_error") { t in
            t.primaryKey("task_id", .integer).references("task", onDelete: .restrict)
            t.column("frames", .integer).notNull()
            t.column("steps", .integer).notNull()
            t.column("energy_rmse_train", .double)
            t.column("force_rmse_train", .double)
            t.column("energy_rmse_validation", .double)
            t.column("force_rmse_validation", .double)
        }
    }
}
