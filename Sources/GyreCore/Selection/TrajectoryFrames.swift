import Foundation

/// Reads chosen frames of a trajectory without parsing the others: extxyz
/// frames are cut from the file a block at a time (``ExtXYZBlock``) and only
/// the wanted ones are parsed, with errors at their lines in the trajectory;
/// LAMMPS dump snapshots are skipped or read by ``LAMMPSDumpReader``.
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
        var parser = ExtXYZFrameParser(path: url.path)
        var out: [Int: Frame] = [:]
        var index = 0
        while index <= last {
            let block = ExtXYZBlock(cutting: lines, maxFrames: 4096, maxBytes: 4 << 20)
            try block.withLines { view in
                for text in block.frames where index <= last {
                    if indices.contains(index) {
                        out[index] = try parser.parse(text, in: view)
                    } else if let short = text.shortBy {
                        // A frame cut short before a wanted one: the file is broken there.
                        throw short
                    }
                    index += 1
                }
            }
            if index <= last, let end = block.end { throw end }
            if block.isLast { break }
        }
        return out
    }
}
