import Foundation
import GRDB

extension Journal {
    /// Records the run's workflow and fingerprint the first time; afterwards
    /// returns the recorded run, so `gyre run` is the same call for a start and
    /// a resume.
    /// - Throws: `GyreError(.journal)` when the workdir was started with a
    ///   workflow of another fingerprint: resuming it would mix results.
    @discardableResult
    public func recordRun(workflowYAML: String, fingerprint: String, at date: Date = Date()) throws -> RunRecord {
        try write("record the run") { db in
            if let existing = try RunRecord.order(RunRecord.CodingKeys.id).fetchOne(db) {
                guard existing.fingerprint == fingerprint else {
                    throw GyreError(.journal, """
                        this workdir was started with a different workflow (fingerprint \(existing.fingerprint), \
                        now \(fingerprint)); use a new workdir or restore the original workflow
                        """)
                }
                return existing
            }
            try db.execute(
                sql: "INSERT INTO run (workflow_yaml, fingerprint, created_at) VALUES (?, ?, ?)",
                arguments: [workflowYAML, fingerprint, date]
            )
            return try fetchExisting(RunRecord.self, db.lastInsertedRowID, db)
        }
    }

    /// The recorded run, or nil for a journal no run has started in.
    public func run() throws -> RunRecord? {
        try read("read the run") { db in
            try RunRecord.order(RunRecord.CodingKeys.id).fetchOne(db)
        }
    }

    /// Fetches a row this transaction just wrote or was told exists.
    func fetchExisting<R: FetchableRecord & TableRecord>(_ type: R.Type, _ id: Int64, _ db: Database) throws -> R {
        guard let record = try R.fetchOne(db, key: id) else {
            throw GyreError(.journal, "no \(R.databaseTableName) with id \(id) in the journal")
        }
        return record
    }
}
