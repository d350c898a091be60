import Foundation
import Testing

/// `gyre engine md`'s md.done, which the loop's acceptance reads.
@Suite(
    "gyre engine md", .serialized,
    .enabled(if: GyreBinary.url != nil, "no gyre binary beside the tests; run `swift build` first"))
struct EngineMDCommandTests {
    @Test func mdDoneReportsTheTrajectorysSize() async throws {
        let dir = try GyreProcess.scratch("engine-md")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (start, _) = try await DataSetRunTests.givenFile(in: dir)
        let md = try await GyreProcess.run([
            "engine", "md", "--potential", "emt", "--input", start.path, "--steps", "40", "--sample-every", "10",
            "--timestep", "0.002", "--temperature", "600", "--seed", "3",
        ], in: dir, limit: 120)
        #expect(md.status == 0, "\(md.stderr)")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("md.done"))) as? [String: Any])
        let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("traj.extxyz").path)[.size] as? Int
        #expect(record["sampled_frames"] as? Int == 5)
        #expect(size != nil && record["trajectory_bytes"] as? Int == size)
    }
}
