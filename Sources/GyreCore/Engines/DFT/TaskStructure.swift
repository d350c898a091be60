import Foundation

/// The exact structure a label task was written for, kept beside its inputs
/// (`structure.extxyz`): the labels read back attach to these positions, not
/// to the engine's printed digits, and in the engine's atom order.
enum TaskStructure {
    static let fileName = "structure.extxyz"

    /// Writes `frame` without any labels it carried.
    static func save(_ frame: Frame, in directory: URL) throws {
        var bare = frame
        bare.energy = nil
        bare.forces = nil
        bare.virial = nil
        try AtomicFile.write(ExtXYZ.format(bare), to: directory.appendingPathComponent(fileName))
    }

    static func load(in directory: URL) -> Result<Frame, LabelRejection> {
        guard let frames = try? ExtXYZ.read(directory.appendingPathComponent(fileName)), frames.count == 1,
              let frame = frames.first
        else { return .failure(LabelRejection("no readable \(fileName)")) }
        return .success(frame)
    }
}

/// Codes whose structure files list atoms grouped by element (VASP's POSCAR,
/// ABACUS's STRU) compute and report forces in that order.
struct ElementGrouping: Sendable {
    /// The workflow's `elements`: the order of the groups.
    let elements: [String]

    /// The species present in `frame`: `elements` order first, any others sorted.
    func order(_ frame: Frame) -> [String] {
        let present = Set(frame.species)
        return elements.filter(present.contains) + present.subtracting(elements).sorted()
    }

    /// `frame` with its atoms grouped by species in `order` (stable within a species).
    func grouped(_ frame: Frame) -> Frame {
        let rank = Dictionary(uniqueKeysWithValues: order(frame).enumerated().map { ($1, $0) })
        let indices = frame.species.indices.sorted {
            let a = rank[frame.species[$0]] ?? 0, b = rank[frame.species[$1]] ?? 0
            return a != b ? a < b : $0 < $1
        }
        return Frame(species: indices.map { frame.species[$0] }, positions: indices.map { frame.positions[$0] }, cell: frame.cell)
    }
}
