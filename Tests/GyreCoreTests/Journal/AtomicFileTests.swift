import Foundation
import Testing
@testable import GyreCore

@Suite("AtomicFile")
struct AtomicFileTests {
    private func entries(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.url.appendingPathComponent("models.json")
        try AtomicFile.write("first", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "first")
        try AtomicFile.write(Data(repeating: 7, count: 1 << 20), to: target)
        #expect(try Data(contentsOf: target) == Data(repeating: 7, count: 1 << 20))
        try AtomicFile.write(Data(), to: target)
        #expect(try Data(contentsOf: target).isEmpty)
        #expect(try entries(dir.url) == ["models.json"])
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoLitter() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Renaming a file onto a non-empty directory fails after the data was written.
        let blocker = dir.url.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try AtomicFile.write("keep", to: blocker.appendingPathComponent("inner"))
        let error = #expect(throws: GyreError.self) { try AtomicFile.write("new", to: blocker) }
        #expect(error?.code == .io)
        #expect(try entries(dir.url) == ["blocked"])
        #expect(try String(contentsOf: blocker.appendingPathComponent("inner"), encoding: .utf8) == "keep")

        let missing = dir.url.appendingPathComponent("no/such/dir/file")
        #expect(throws: GyreError.self) { try AtomicFile.write("x", to: missing) }
    }

    @Test func readersNeverSeeAPartialFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.url.appendingPathComponent("data.bin")
        let versions = (0 ..< 20).map { Data(repeating: UInt8($0), count: 256 * 1024) }
        try AtomicFile.write(versions[0], to: target)
        let writer = Task.detached {
            for version in versions.dropFirst() { try AtomicFile.write(version, to: target) }
        }
        var reads = 0
        while !(writer.isCancelled) {
            let data = try Data(contentsOf: target)
            #expect(data.count == 256 * 1024 && Set(data).count == 1, "torn read")
            reads += 1
            if data == versions[versions.count - 1] { break }
        }
        try await writer.value
        #expect(reads > 0)
        #expect(try entries(dir.url) == ["data.bin"])
    }
}
