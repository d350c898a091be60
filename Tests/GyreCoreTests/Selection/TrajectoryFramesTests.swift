import Foundation
import Testing
@testable import GyreCore

/// Selection reads only the frames it picked from a trajectory.
@Suite("Selection: reading picked frames")
final class TrajectoryFramesTests {
    let root: URL

    init() throws { root = try SelectionFixtures.tempDirectory() }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Five 4-atom frames, 6 lines each, as extxyz text.
    func fiveFrames() -> (frames: [Frame], text: String) {
        let frames = (0..<5).map { SelectionFixtures.crystal(rattle: 0.05, seed: UInt64($0)) }
        return (frames, frames.map(ExtXYZ.format).joined())
    }

    @Test("the wanted frames, as the whole-file reader reads them; an index past the end has no entry")
    func wantedFrames() throws {
        let (_, text) = fiveFrames()
        let url = root.appendingPathComponent("traj.extxyz")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let all = try ExtXYZ.read(url)
        let some = try TrajectoryFrames.read(url, indices: [1, 3, 7])
        #expect(some.keys.sorted() == [1, 3])
        #expect(some[1] == all[1] && some[3] == all[3])
    }

    @Test("a frame cut short before a wanted one is an error at its line in the trajectory; one after it is not read")
    func truncated() throws {
        let (frames, _) = fiveFrames()
        var lines = frames.prefix(3).map(ExtXYZ.format).joined().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let natoms = frames[0].count
        // Frame 1 loses its last atom line; frames 2 and 3 follow and frame 3 carries a bad count line.
        lines.remove(at: 2 * (natoms + 2) - 1)
        let url = root.appendingPathComponent("short.extxyz")
        try (lines.joined(separator: "\n") + "oops\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try TrajectoryFrames.read(url, indices: [0]).keys.sorted() == [0])
        let error = #expect(throws: GyreError.self) { try TrajectoryFrames.read(url, indices: [2]) }
        #expect(error?.location?.file == url.path)
        #expect(error?.location?.line != nil)
        // The file ends one atom line short of frame 2's end: a read wanting a later frame says so; one wanting frame 1 does not care.
        let cut = root.appendingPathComponent("cut.extxyz")
        try (fiveFrames().text.split(separator: "\n").prefix(3 * (natoms + 2) - 1).joined(separator: "\n") + "\n")
            .write(to: cut, atomically: true, encoding: .utf8)
        #expect(try TrajectoryFrames.read(cut, indices: [1]).keys.sorted() == [1])
        let cutError = #expect(throws: GyreError.self) { try TrajectoryFrames.read(cut, indices: [4]) }
        #expect(cutError?.location?.file == cut.path)
        // The bad count line after frame 2 (index 3) stops a read that wants frame 3.
        let bad = root.appendingPathComponent("bad.extxyz")
        try (fiveFrames().text.split(separator: "\n").prefix(3 * (natoms + 2)).joined(separator: "\n") + "\noops\n")
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(try TrajectoryFrames.read(bad, indices: [2]).keys.sorted() == [2])
        let countError = #expect(throws: GyreError.self) { try TrajectoryFrames.read(bad, indices: [3]) }
        #expect(countError?.message.contains("expected the number of atoms") == true)
        #expect(countError?.location?.line == 3 * (natoms + 2) + 1)
    }
}
