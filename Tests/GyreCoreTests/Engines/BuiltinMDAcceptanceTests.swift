import Foundation
import Testing
@testable import GyreCore

/// When a built-in MD task's outputs count as its result: md.done must
/// describe the model_devi.out and traj.extxyz beside it, since a second copy
/// of the task in the same directory can leave one run's md.done and
/// deviations over the other's trajectory.
@Suite("Built-in MD acceptance")
struct BuiltinMDAcceptanceTests {
    private static func row(_ step: Int) -> String {
        ModelDeviationWriter.formatRow(ModelDeviationRecord(
            step: step, maxDevV: 0.1, minDevV: 0.1, avgDevV: 0.1, maxDevF: 0.2, minDevF: 0.1, avgDevF: 0.15, devE: 0))
    }
    private static let rows = ModelDeviationWriter.header + "\n" + row(0) + row(20)
    private static let trajectory = "1\nProperties=species:S:1:pos:R:3\nCu 0 0 0\n1\nProperties=species:S:1:pos:R:3\nCu 0 0 1\n"

    /// A task directory with the outputs, and an md.done reporting 2 sampled frames and `trajectoryBytes`.
    private static func outputs(trajectory: String, trajectoryBytes: Int?) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try rows.write(to: dir.url.appendingPathComponent("model_devi.out"), atomically: true, encoding: .utf8)
        try trajectory.write(to: dir.url.appendingPathComponent("traj.extxyz"), atomically: true, encoding: .utf8)
        let record = MDDoneRecord(reason: "completed", message: "completed", steps: 20, requestedSteps: 20, sampledFrames: 2,
                                  trajectoryBytes: trajectoryBytes, models: 2, neighborRebuilds: 0, finalTemperature: 300,
                                  finalPressure: nil, elapsedSeconds: 1)
        try JSONEncoder().encode(record).write(to: dir.url.appendingPathComponent("md.done"))
        return dir
    }

    @Test func completeOutputsAreAccepted() throws {
        let dir = try Self.outputs(trajectory: Self.trajectory, trajectoryBytes: Self.trajectory.utf8.count)
        defer { dir.remove() }
        #expect(BuiltinCommands.acceptMD(dir.url) == nil)
    }

    @Test func aTrajectoryOfAnotherSizeThanMdDoneReportsIsRejected() throws {
        let cut = String(Self.trajectory.dropLast(10))
        let dir = try Self.outputs(trajectory: cut, trajectoryBytes: Self.trajectory.utf8.count)
        defer { dir.remove() }
        #expect(BuiltinCommands.acceptMD(dir.url) == "traj.extxyz holds \(cut.utf8.count) bytes, not the \(Self.trajectory.utf8.count) md.done reports")
    }

    @Test func anMdDoneWithoutTheTrajectorySizeIsJudgedByItsRows() throws {
        let dir = try Self.outputs(trajectory: Self.trajectory, trajectoryBytes: nil)
        defer { dir.remove() }
        #expect(BuiltinCommands.acceptMD(dir.url) == nil)
        try (Self.rows + Self.row(40)).write(
            to: dir.url.appendingPathComponent("model_devi.out"), atomically: true, encoding: .utf8)
        #expect(BuiltinCommands.acceptMD(dir.url) == "model_devi.out does not hold the 2 rows md.done reports")
    }

    @Test func anUnreadableMdDoneOrDeviationFileIsRejected() throws {
        let dir = try Self.outputs(trajectory: Self.trajectory, trajectoryBytes: nil)
        defer { dir.remove() }
        try (Self.rows + "40 0.1 0.1").write(to: dir.url.appendingPathComponent("model_devi.out"), atomically: true, encoding: .utf8)
        #expect(BuiltinCommands.acceptMD(dir.url)?.hasPrefix("model_devi.out does not read back: ") == true)
        try "{\"sampled_frames\": 2}".write(to: dir.url.appendingPathComponent("md.done"), atomically: true, encoding: .utf8)
        #expect(BuiltinCommands.acceptMD(dir.url) == "md.done does not read as the record gyre engine md writes")
    }
}
