/// The per-frame values an extxyz comment line carries, checked.
struct ExtXYZFrameInfo {
    var cell: Cell?
    var energy: Double?
    var virial: Matrix3?
    var properties: String

    init(_ comment: ExtXYZComment, lines: ExtXYZFrameLines) throws {
        func numbers(_ key: String) throws -> [Double]? {
            guard let raw = comment[key] else { return nil }
            var out: [Double] = []
            for part in raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                guard let v = Double(part), v.isFinite else {
                    throw lines.error("\(key)= holds \"\(part)\", expected finite numbers")
                }
                out.append(v)
            }
            return out
        }
        properties = comment["Properties"] ?? "species:S:1:pos:R:3"
        var pbc = Periodicity.all
        if let raw = comment["pbc"] {
            let flags = raw.split(whereSeparator: { $0 == " " || $0 == "," })
            var parsed: [Bool] = []
            for f in flags {
                switch f.lowercased() {
                case "t", "true", "1": parsed.append(true)
                case "f", "false", "0": parsed.append(false)
                default: throw lines.error("pbc= holds \"\(f)\", expected T or F")
                }
            }
            guard parsed.count == 3 else { throw lines.error("pbc= needs 3 flags, found \(parsed.count)") }
            pbc = Periodicity(parsed[0], parsed[1], parsed[2])
        }
        if let lattice = try numbers("Lattice") {
            guard let m = Matrix3(rowMajor: lattice) else {
                throw lines.error("Lattice= needs 9 numbers, found \(lattice.count)")
            }
            cell = Cell(m, pbc: pbc)
        } else if pbc != .none && comment["pbc"] != nil {
            throw lines.error("pbc= marks a periodic direction but there is no Lattice=")
        }
        if let raw = comment["energy"] {
            guard let e = Double(raw), e.isFinite else { throw lines.error("energy= holds \"\(raw)\", expected a finite number") }
            energy = e
        }
        if let v = try numbers("virial") {
            virial = try Self.tensor(v, key: "virial", lines: lines)
        } else if let s = try numbers("stress") {
            let sigma = try Self.tensor(s, key: "stress", lines: lines)
            guard let cell else { throw lines.error("stress= needs a Lattice= to turn into a virial") }
            // ASE's stress is eV/Å³; the virial is W = −σ·V.
            virial = (-abs(cell.volume)) * sigma
        }
    }

    /// A 3×3 tensor from 9 numbers or 6 in Voigt order (xx yy zz yz xz xy). ASE
    /// writes the 9 numbers of `virial` and `stress` column-major (Fortran order).
    static func tensor(_ v: [Double], key: String, lines: ExtXYZFrameLines) throws -> Matrix3 {
        if let m = Matrix3(rowMajor: v) { return m.transposed }
        guard v.count == 6 else { throw lines.error("\(key)= needs 9 or 6 (Voigt) numbers, found \(v.count)") }
        return Matrix3(SIMD3(v[0], v[5], v[4]), SIMD3(v[5], v[1], v[3]), SIMD3(v[4], v[3], v[2]))
    }
}
