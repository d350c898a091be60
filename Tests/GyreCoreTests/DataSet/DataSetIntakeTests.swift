import Foundation
import Testing
@testable import GyreCore

/// Deduplication by frame content and the provenance rows the journal keeps.
@Suite struct DataSetIntakeTests {
    static func incoming(_ frame: Frame, task: Int64? = nil) -> IncomingFrame {
        IncomingFrame(frame: frame, taskID: task, source: task.map { "iter.000/label/task.\($0)" } ?? "given.extxyz",
                      engine: task == nil ? "given" : "qe")
    }

    @Test func contentIgnoresLabelsAndNoiseBelowTheResolution() {
        let a = Sample.frame(seed: 1, atoms: 6)
        var relabelled = a
        relabelled.energy = -1
        relabelled.forces = nil
        #expect(FrameContent(relabelled) == FrameContent(a))
        #expect(FrameContent(relabelled).digest == FrameContent(a).digest)

        var noisy = a
        noisy.positions[2].x = a.positions[2].x.nextUp.nextUp
        noisy.cell?.matrix = Matrix3(rowMajor: (a.cell?.matrix.rowMajor ?? []).map { $0 * (1 + 1e-15) }) ?? .zero
        #expect(FrameContent(noisy) == FrameContent(a))

        var moved = a
        moved.positions[2].x += 2e-6
        #expect(FrameContent(moved) != FrameContent(a))
        #expect(FrameContent(moved).digest != FrameContent(a).digest)
        var swapped = a
        swapped.species.swapAt(0, 1)
        #expect(FrameContent(swapped) != FrameContent(a))
        var molecule = a
        molecule.cell = nil
        #expect(FrameContent(molecule) != FrameContent(a))
        // Stable across runs and machines: a fixed value, not Swift's seeded hashValue.
        #expect(FrameContent(Frame(species: ["H"], positions: [.zero], cell: nil)).digest.count == 16)
    }

    @Test func repeatsOfEarlierFilesAndOfTheBatchAreLeftOut() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let layout = WorkdirLayout(root: dir.url)
        try FileManager.default.createDirectory(at: layout.dataDirectory, withIntermediateDirectories: true)
        let (a, b, c, d) = (Sample.frame(seed: 1), Sample.frame(seed: 2), Sample.frame(seed: 3), Sample.frame(seed: 4))
        try ExtXYZ.write([a, b], to: layout.dataFile(iteration: -1))
        var bAgain = b
        bAgain.energy = 42  // labelled again, differently: still the same structure
        let batch = [Self.incoming(c, task: 7), Self.incoming(bAgain, task: 8), Self.incoming(d, task: 9),
                     Self.incoming(c, task: 10)]
        let intake = try DataSetIntake(batch, index: 0, iterationID: 5, layout: layout)
        #expect(intake.frames == [c, d])
        #expect(intake.duplicates == 2)
        let rows = intake.records.map { "\($0.dataFile)#\($0.frameIndex) \($0.duplicate ? "dup" : "new") task \($0.taskID ?? -1)" }
        #expect(rows == ["data/iter.000.extxyz#0 new task 7", "data/init.extxyz#1 dup task 8",
                         "data/iter.000.extxyz#1 new task 9", "data/iter.000.extxyz#0 dup task 10"])
        #expect(intake.records.allSatisfy { $0.iterationID == 5 && $0.engine == "qe" })
        #expect(intake.records[1].contentHash == FrameContent(b).digest)

        // A rerun after this iteration's file was written decides the same: its own file does not count.
        try ExtXYZ.write(intake.frames, to: layout.dataFile(iteration: 0))
        let rerun = try DataSetIntake(batch, index: 0, iterationID: 5, layout: layout)
        #expect(rerun.frames == intake.frames)
        #expect(rerun.records == intake.records)
    }

    @Test func theJournalReplacesAnIterationsRowsAndCountsThem() throws {
        let journal = try Journal.inMemory()
        try journal.recordRun(workflowYAML: "name: t\n", fingerprint: "abc")
        let initial = try journal.beginIteration(index: -1, stageName: "init", stageIndex: -1)
        let first = try journal.beginIteration(index: 0, stageName: "warm", stageIndex: 0)
        let place = { (file: String, i: Int) in DataPlace(dataFile: file, frameIndex: i) }
        let given = [Sample.frame(seed: 1), Sample.frame(seed: 2)].enumerated().map { i, f in
            DataFrameRecord(iterationID: initial.id, Self.incoming(f), place: place("data/init.extxyz", i),
                            duplicate: false, contentHash: FrameContent(f).digest)
        }
        try journal.recordDataFrames(iteration: initial.id, given)
        let labelled = [
            DataFrameRecord(iterationID: first.id, Self.incoming(Sample.frame(seed: 3)), place: place("data/iter.000.extxyz", 0),
                            duplicate: false, contentHash: "3"),
            DataFrameRecord(iterationID: first.id, Self.incoming(Sample.frame(seed: 1)), place: place("data/init.extxyz", 0),
                            duplicate: true, contentHash: "1"),
        ]
        // Recorded twice, as an ingest rerun after a crash would: the rows are there once.
        try journal.recordDataFrames(iteration: first.id, labelled)
        try journal.recordDataFrames(iteration: first.id, labelled)
        #expect(try journal.dataFrames().count == 4)
        #expect(try journal.dataFrameCounts() == [
            DataFrameCount(iteration: -1, engine: "given", frames: 2, duplicates: 0),
            DataFrameCount(iteration: 0, engine: "given", frames: 1, duplicates: 1),
        ])
        // One frame per place in the data set: a second non-duplicate at init.extxyz#0 is refused.
        let clash = DataFrameRecord(iterationID: first.id, Self.incoming(Sample.frame(seed: 4)),
                                    place: place("data/init.extxyz", 0), duplicate: false, contentHash: "4")
        #expect(throws: GyreError.self) { try journal.recordDataFrames(iteration: first.id, [clash]) }
        #expect(try journal.dataFrames().count == 4, "the failed replacement left the rows as they were")
    }
}
