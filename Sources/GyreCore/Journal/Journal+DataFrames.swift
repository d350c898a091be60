import Foundation
import GRDB

extension Journal {
    /// Replaces the provenance rows of one iteration's ingest with `frames`
    /// (new rows, without ids), in one transaction: an ingest that reruns after
    /// a crash records its frames once.
    public func recordDataFrames(iteration iterationID: Int64, _ frames: [DataFrameRecord]) throws {
        try write("record the data frames of iteration id \(iterationID)") { db in
            try db.execute(sql: "DELETE FROM data_frame WHERE iteration_id = ?", arguments: [iterationID])
            for frame in frames where frame.iterationID == iterationID {
                try frame.insert(db)
            }
        }
    }

    /// Every provenance row, in the order recorded.
    public func dataFrames() throws -> [DataFrameRecord] {
        try read("read the data frames") { db in
            try DataFrameRecord.order(DataFrameRecord.CodingKeys.id).fetchAll(db)
        }
    }

    /// Frames added and duplicates skipped, per iteration and label engine,
    /// in iteration order.
    public func dataFrameCounts() throws -> [DataFrameCount] {
        try read("count the data frames") { try Self.dataFrameCounts($0) }
    }

    static func dataFrameCounts(_ db: Database) throws -> [DataFrameCount] {
        try Row.fetchAll(db, sql: """
            SELECT i."index" AS iteration, f.engine AS engine,
                   SUM(NOT f.duplicate) AS frames, SUM(f.duplicate) AS duplicates
            FROM data_frame f JOIN iteration i ON i.id = f.iteration_id
            GROUP BY i."index", f.engine ORDER BY i."index", f.engine
            """).map { row in
            DataFrameCount(iteration: row["iteration"], engine: row["engine"], frames: row["frames"], duplicates: row["duplicates"])
        }
    }
}
