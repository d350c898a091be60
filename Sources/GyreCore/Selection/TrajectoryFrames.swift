import Foundation

/// Reads chosen frames of a trajectory without parsing the others: unwanted
/// frames are skipped line by line (their atom lines are never tokenised).
/// Wanted extxyz frames are cut out and parsed by ``ExtXYZReader``, wanted
/// LAMMPS dump snapshots by ``LAMMPSDumpReader``.
enum TrajectoryFrames {
    /// The frames at the given 0-based indices; an index past the end of the file has no entry.
    static func read(_ url: URL, format: Trajectory.FrameFormat = .extxyz, indices: Set<Int>) throws -> [Int: Frame] {
        switch format {
        case .extxyz: try readExtXYZ(url, indices: indices)
        case .lammpsDump(let typeMap): try readDump(url, typeMap: typeMap, indices: indices)
        }
    }

    private static func readDump(_ url: URL, typeMap: [String], indices: Set<Int>) throws -> [Int: Frame] {
        guard let last = indices.max() else { return [:] }
        var reader = try LAMMPSDumpReader(url: url, typeMap: typeMap)
        var out: [Int: Frame] = [:]
        for index in 0...last {
            if indices.contains(index) {
                guard let snapshot = try reader.next() else { break }
                out[index] = snapshot.frame
            } else if try reader.skip() == nil {
                break
            }
        }
        return out
    }

    private static func readExtXYZ(_ url: URL, indices: Set<Int>) throws -> [Int: Frame] {
        guard let last = indices.max() else { return [:] }
        let lines = try LineReader(url: url)
        var text: [UInt8] = []
        var order: [Int] = []
        var index = 0
        while index <= last {
            var header: UnsafeBufferPointer<UInt8>
            repeat {
                guard let line = try lines.nextLine() else { return try parse(text, order: order, source: url) }
                header = line
            } while Text.isBlank(header)
            var tokens = Tokens(header)
            guard let countToken = tokens.next(), let natoms = NumberParser.int(countToken), natoms >= 0 else {
                throw lines.error("expected the number of atoms, found \(Text.show(header))", column: 1)
            }
            let wanted = indices.contains(index)
            if wanted {
                text.append(contentsOf: header)
                text.append(10)
                order.append(index)
            }
            for k in 0..<(natoms + 1) {
                let line = try lines.requireLine(k == 0 ? "the extxyz comment line" : "atom line \(k) of \(natoms)")
                if wanted {
                    text.append(contentsOf: line)
                    text.append(10)
                }
            }
            index += 1
        }
        return try parse(text, order: order, source: url)
    }

    /// Parses the cut-out frames through the shared extxyz reader (via a private temp file).
    private static func parse(_ text: [UInt8], order: [Int], source: URL) throws -> [Int: Frame] {
        guard !order.isEmpty else { return [:] }
        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("gyre-select-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).extxyz")
        defer { try? FileManager.default.removeItem(at: temp) }
        do {
            try Data(text).write(to: temp)
        } catch {
            throw GyreError(.io, "cannot stage frames read from \(source.path)", at: SourceLocation(file: temp.path))
        }
        var reader = try ExtXYZReader(url: temp)
        var out: [Int: Frame] = [:]
        var k = 0
        do {
            while let frame = try reader.next() {
                guard k < order.count else { break }
                out[order[k]] = frame
                k += 1
            }
        } catch let e as GyreError {
            // Name the real trajectory, not the staging file.
            throw GyreError(e.code, "frame \(k < order.count ? order[k] : -1): \(e.message)", at: SourceLocation(file: source.path))
        }
        return out
    }
}
