import Foundation
import GRDB

/// A trained model's final errors as its trainer reported them (DeePMD-kit's
/// last `lcurve.out` row): energy RMSE per atom (eV/atom) and force RMSE
/// (eV/Å), on training data and — when the user's input had it — validation data.
public struct TrainingErrorRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "training_error"

    /// The train task that produced the model (one row per task).
    public var taskID: Int64
    /// Frames of the data set the model was trained on.
    public var frames: Int
    public var steps: Int
    public var energyTrain: Double?
    public var forceTrain: Double?
    public var energyValidation: Double?
    public var forceValidation: Double?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case taskID = "task_id", frames, steps
        case energyTrain = "energy_rmse_train", forceTrain = "force_rmse_train"
        case energyValidation = "energy_rmse_validation", forceValidation = "force_rmse_validation"
    }

    public init(taskID: Int64, frames: Int, _ errors: DeepmdTrainingErrors) {
        self.taskID = taskID
        self.frames = frames
        steps = errors.steps
        energyTrain = errors.energyTrain
        forceTrain = errors.forceTrain
        energyValidation = errors.energyValidation
        forceValidation = errors.forceValidation
    }
}

extension Journal {
    /// Records (or, for a task recorded before a crash, replaces with the same) a model's final errors.
    public func recordTrainingErrors(_ record: TrainingErrorRecord) throws {
        try write("record the training errors of task id \(record.taskID)") { db in
            try record.upsert(db)
        }
    }

    /// The recorded errors of the tasks of a step, by task id.
    public func trainingErrors(step stepID: Int64) throws -> [Int64: TrainingErrorRecord] {
        try read("read the training errors of step id \(stepID)") { db in
            let rows = try TrainingErrorRecord.fetchAll(db, sql: """
                SELECT training_error.* FROM training_error JOIN task ON task.id = training_error.task_id
                WHERE task.step_id = ?
                """, arguments: [stepID])
            return Dictionary(rows.map { ($0.taskID, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
