import Foundation
import GRDB

/// The truth of a workdir: `gyre.sqlite`, recording the run, its iterations,
/// steps, tasks and every task state transition. Every change is one
/// transaction, so a crash leaves the journal at the last complete change.
///
/// Code works against `any DatabaseWriter`: the workdir uses a `DatabasePool`
/// (WAL, so `gyre status` reads while a run writes) and tests an in-memory
/// `DatabaseQueue`.
public struct Journal: Sendable {
    /// The journal's file name inside a workdir.
    public static let fileName = "gyre.sqlite"

    /// The underlying database, for read-only queries the journal does not offer.
    public let database: any DatabaseWriter

    /// Wraps `database`, creating or migrating the schema.
    /// - Throws: `GyreError(.journal)` if the file was written by a newer Gyre.
    public init(database: any DatabaseWriter) throws {
        self.database = database
        let migrator = JournalSchema.migrator
        do {
            let superseded = try database.read { try migrator.hasBeenSuperseded($0) }
            if superseded {
                throw GyreError(.journal, "the journal was written by a newer version of gyre")
            }
            try migrator.migrate(database)
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "cannot prepare the journal schema", cause: error)
        }
    }

    private init(readOnly database: any DatabaseWriter) {
        self.database = database
    }

    /// Opens (creating if needed) `workdir/gyre.sqlite` for a run, in WAL mode.
    public static func open(workdir: URL) throws -> Journal {
        let path = workdir.appendingPathComponent(fileName).path
        do {
            return try Journal(database: DatabasePool(path: path, configuration: configuration(readonly: false)))
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "cannot open journal \(path)", cause: error)
        }
    }

    /// Opens an existing journal read-only, e.g. for `gyre status` while a run
    /// writes. Writes through it fail.
    /// - Throws: `GyreError(.journal)` if there is no journal or its schema is not known.
    public static func openForReading(workdir: URL) throws -> Journal {
        let path = workdir.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw GyreError(.journal, "no journal in \(workdir.path) (missing \(fileName))")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration(readonly: true))
            let migrator = JournalSchema.migrator
            let (complete, superseded) = try pool.read {
                (try migrator.hasCompletedMigrations($0), try migrator.hasBeenSuperseded($0))
            }
            if superseded {
                throw GyreError(.journal, "journal \(path) was written by a newer version of gyre")
            }
            if !complete {
                throw GyreError(.journal, "journal \(path) is not initialised or is from an older gyre; run `gyre run` to upgrade it")
            }
            return Journal(readOnly: pool)
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "cannot read journal \(path)", cause: error)
        }
    }

    /// A fresh journal in memory, for tests and dry runs.
    public static func inMemory() throws -> Journal {
        do {
            return try Journal(database: DatabaseQueue(configuration: configuration(readonly: false)))
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "cannot create an in-memory journal", cause: error)
        }
    }

    private static func configuration(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.readonly = readonly
        // A reader (`gyre status`) and the run share the file; wait rather than fail.
        configuration.busyMode = .timeout(10)
        // Every commit reaches the disk before the call returns (FULL syncs
        // the WAL on commit): a task journaled done stays done after a power cut.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// Runs `body` in a write transaction, turning database errors into
    /// `GyreError(.journal)` that say what was being done.
    func write<T: Sendable>(_ what: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "journal: cannot \(what())", cause: error)
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T: Sendable>(_ what: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as GyreError {
            throw error
        } catch {
            throw GyreError(.journal, "journal: cannot \(what())", cause: error)
        }
    }
}
