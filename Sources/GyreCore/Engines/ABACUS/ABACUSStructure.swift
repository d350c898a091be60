import Foundation

/// Reads an ABACUS STRU file: species blocks, LATTICE_CONSTANT (Bohr),
/// LATTICE_VECTORS, and ATOMIC_POSITIONS in Cartesian (lattice-constant
/// units), Cartesian_angstrom or Direct coordinates.
public enum ABACUSStructure {
    public static func read(_ text: String) -> Result<Frame, LabelRejection> {
        // Comments start with # or //; blank lines separate nothing that matters.
        let lines = text.split(separator: "\n").map { line -> Substring in
            let cut = line.firstIndex(of: "#") ?? line.range(of: "//")?.lowerBound ?? line.endIndex
            return line[..<cut]
        }.filter { !$0.allSatisfy(\.isWhitespace) }
        func section(_ name: String) -> Int? {
            lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).uppercased() == name }
        }
        guard let speciesAt = section("ATOMIC_SPECIES"), let latticeAt = section("LATTICE_CONSTANT"),
              let vectorsAt = section("LATTICE_VECTORS"), let positionsAt = section("ATOMIC_POSITIONS")
        else { return .failure(LabelRejection("STRU: needs ATOMIC_SPECIES, LATTICE_CONSTANT, LATTICE_VECTORS, ATOMIC_POSITIONS")) }
        let headers = Set([speciesAt, latticeAt, vectorsAt, positionsAt, section("NUMERICAL_ORBITAL") ?? -1,
                           section("ABFS_ORBITAL") ?? -1, section("NUMERICAL_DESCRIPTOR") ?? -1])
        var ntype = 0
        var i = speciesAt + 1
        while i < lines.count, !headers.contains(i) { ntype += 1; i += 1 }
        guard latticeAt + 1 < lines.count,
              let constantBohr = lines[latticeAt + 1].split(whereSeparator: \.isWhitespace).first.flatMap({ Double($0) })
        else { return .failure(LabelRejection("STRU: unreadable LATTICE_CONSTANT")) }
        let scale = constantBohr * Units.bohr
        let rows = (1...3).compactMap { k in vectorsAt + k < lines.count ? vector(lines[vectorsAt + k]) : nil }
        guard rows.count == 3 else { return .failure(LabelRejection("STRU: LATTICE_VECTORS needs three rows")) }
        let cell = Cell(scale * Matrix3(rows[0], rows[1], rows[2]))
        guard positionsAt + 1 < lines.count else { return .failure(LabelRejection("STRU: empty ATOMIC_POSITIONS")) }
        let kind = lines[positionsAt + 1].trimmingCharacters(in: .whitespaces).lowercased()
        var species: [String] = []
        var positions: [SIMD3<Double>] = []
        i = positionsAt + 2
        for _ in 0..<ntype {
            // Per species: label, starting magnetism, count, then one line per atom.
            guard i + 2 < lines.count, let count = Int(lines[i + 2].trimmingCharacters(in: .whitespaces)) else {
                return .failure(LabelRejection("STRU: unreadable species block in ATOMIC_POSITIONS"))
            }
            let label = lines[i].trimmingCharacters(in: .whitespaces)
            for k in 0..<count {
                guard i + 3 + k < lines.count, let v = vector(lines[i + 3 + k]) else {
                    return .failure(LabelRejection("STRU: \(label) lists fewer than \(count) positions"))
                }
                species.append(label)
                switch kind {
                case "direct": positions.append(cell.cartesian(fromFractional: v))
                case "cartesian_angstrom": positions.append(v)
                case "cartesian": positions.append(scale * v)
                default: return .failure(LabelRejection("STRU: positions in `\(kind)` are not read"))
                }
            }
            i += 3 + count
        }
        return .success(Frame(species: species, positions: positions, cell: cell))
    }

    static func vector(_ line: Substring) -> SIMD3<Double>? {
        let t = line.split(whereSeparator: \.isWhitespace)
        guard t.count >= 3, let x = Double(t[0]), let y = Double(t[1]), let z = Double(t[2]) else { return nil }
        return SIMD3(x, y, z)
    }
}
