import Foundation

/// A labelled frame on its way into the data set, with where it came from.
public struct IncomingFrame: Sendable {
    public var frame: Frame
    /// The label task that produced it; nil for given initial data.
    public var taskID: Int64?
    /// The task directory, or the file the frame was given in.
    public var source: String
    /// The label engine's name, or `given`.
    public var engine: String

    public init(frame: Frame, taskID: Int64?, source: String, engine: String) {
        self.frame = frame
        self.taskID = taskID
        self.source = source
        self.engine = engine
    }
}

/// Decides which incoming frames of an iteration join the data set: those
/// whose `FrameContent` is in no earlier data file and not earlier in the same
/// batch. The rest are duplicates, recorded with the place of the frame they
/// repeat. Depends only on the earlier data files and the batch's order, so an
/// ingest rerun after a crash decides the same.
public struct DataSetIntake: Sendable {
    /// Frames for this iteration's data file, in batch order.
    public var frames: [Frame]
    /// One provenance row per incoming frame, in batch order.
    public var records: [DataFrameRecord]
    public var duplicates: Int { records.count - frames.count }

    /// - Parameters:
    ///   - index: the iteration's index (-1 for the initial data), naming its data file.
    ///   - iterationID: the iteration's journal id, for the provenance rows.
    public init(_ incoming: [IncomingFrame], index: Int, iterationID: Int64, layout: WorkdirLayout) throws {
        let target = layout.dataFile(iteration: index)
        var known: [FrameContent: DataPlace] = [:]
        // Earlier iterations only: a rerun of this ingest replaces its own file.
        for file in layout.dataFiles().prefix(while: { $0.lastPathComponent != target.lastPathComponent }) {
            for (i, frame) in try ExtXYZ.read(file).enumerated() {
                let content = FrameContent(frame)
                if known[content] == nil { known[content] = DataPlace(dataFile: Self.relative(file), frameIndex: i) }
            }
        }
        frames = []
        records = []
        for item in incoming {
            let content = FrameContent(item.frame)
            let original = known[content]
            let place = original ?? DataPlace(dataFile: Self.relative(target), frameIndex: frames.count)
            if original == nil {
                known[content] = place
                frames.append(item.frame)
            }
            records.append(DataFrameRecord(iterationID: iterationID, item, place: place, duplicate: original != nil,
                                           contentHash: content.digest))
        }
    }

    /// `data/<file>`: data files are named relative to the workdir.
    private static func relative(_ file: URL) -> String {
        "data/" + file.lastPathComponent
    }
}
