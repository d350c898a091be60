import Foundation
import GRDB

/// The provenance of one labelled frame an ingest considered. A frame whose
/// content repeats one already in the data set is a duplicate: it is in no
/// data file, and its place is that of the frame it repeats.
public struct DataFrameRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "data_frame"

    public var id: Int64?
    public var iterationID: Int64
    /// Relative to the workdir, e.g. `data/iter.002.extxyz`.
    public var dataFile: String
    /// 0-based frame index within `dataFile`.
    public var frameIndex: Int
    public var duplicate: Bool
    /// The label task that produced it; nil for frames given as initial data.
    public var taskID: Int64?
    /// The task directory, or the file the frame was given in.
    public var source: String
    /// The label engine (`qe`, `cp2k`, `builtin`…), or `given`.
    public var engine: String
    /// `FrameContent.digest`.
    public var contentHash: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case iterationID = "iteration_id"
        case dataFile = "data_file"
        case frameIndex = "frame_index"
        case duplicate
        case taskID = "task_id"
        case source, engine
        case contentHash = "content_hash"
    }

    /// The row for `frame` of iteration `iterationID`, before it has an id.
    public init(iterationID: Int64, _ frame: IncomingFrame, place: DataPlace, duplicate: Bool, contentHash: String) {
        self.iterationID = iterationID
        dataFile = place.dataFile
        frameIndex = place.frameIndex
        self.duplicate = duplicate
        taskID = frame.taskID
        source = frame.source
        engine = frame.engine
        self.contentHash = contentHash
    }
}

/// Where a frame sits in the data set.
public struct DataPlace: Sendable, Hashable {
    /// Relative to the workdir, e.g. `data/init.extxyz`.
    public var dataFile: String
    public var frameIndex: Int
}

/// Frames per iteration and label engine, for reports.
public struct DataFrameCount: Codable, Sendable, Hashable {
    /// The iteration's index; -1 for the initial data.
    public var iteration: Int
    public var engine: String
    /// Frames added to the data set.
    public var frames: Int
    /// Frames not added because their content was already in the data set.
    public var duplicates: Int
}
