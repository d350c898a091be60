/// What to do with each column of an atom line, from `Properties=name:type:count:…`.
struct ExtXYZColumnPlan {
    enum Action {
        case species, atomicNumber, position(Int), force(Int), skip

        var name: String {
            if case .force = self { return "force component" }
            return "position coordinate"
        }
    }
    var columns: [Action] = []
    var hasForces = false

    init(_ properties: String, lines: ExtXYZFrameLines) throws {
        let parts = properties.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count % 3 == 0, !parts.isEmpty else {
            throw lines.error("Properties=\(properties) is not a list of name:type:count triples")
        }
        var hasSpecies = false, hasPositions = false, hasZ = false
        for k in stride(from: 0, to: parts.count, by: 3) {
            let name = parts[k].lowercased()
            let type = parts[k + 1].uppercased()
            guard ["S", "R", "I", "L"].contains(type), let count = Int(parts[k + 2]), count >= 1, count <= 1000 else {
                throw lines.error("Properties=\(properties): bad triple \(parts[k]):\(parts[k + 1]):\(parts[k + 2])")
            }
            switch (name, type, count) {
            case ("species", "S", 1):
                hasSpecies = true
                columns.append(.species)
            case ("pos", "R", 3), ("positions", "R", 3):
                hasPositions = true
                columns += [.position(0), .position(1), .position(2)]
            case ("forces", "R", 3), ("force", "R", 3):
                hasForces = true
                columns += [.force(0), .force(1), .force(2)]
            case ("z", "I", 1) where !hasSpecies:
                hasZ = true
                columns.append(.atomicNumber)
            default:
                columns += Array(repeating: .skip, count: count)
            }
        }
        guard hasPositions else { throw lines.error("Properties=\(properties) has no pos:R:3") }
        guard hasSpecies || hasZ else { throw lines.error("Properties=\(properties) has no species:S:1") }
        if hasSpecies && hasZ {
            // Species wins; Z (declared before species) is then only skipped.
            columns = columns.map { if case .atomicNumber = $0 { return .skip } else { return $0 } }
        }
    }
}
