/// Parses frames cut out by ``ExtXYZBlock``, one at a time, on whatever thread
/// runs it. It keeps the column plan of the frame it parsed last: trajectories
/// repeat one Properties string, so the plan is built once.
struct ExtXYZFrameParser {
    /// The file the frames came from, for error locations.
    let path: String
    private var lastPlan: (properties: String, plan: ExtXYZColumnPlan)?

    init(path: String) { self.path = path }

    mutating func parse(_ text: ExtXYZBlock.FrameText, in block: ExtXYZBlock.Lines) throws -> Frame {
        var lines = ExtXYZFrameLines(path: path, text: text, block: block)
        let natoms = text.natoms
        let commentLine = try lines.next()
        let comment: ExtXYZComment
        switch ExtXYZComment.parse(commentLine) {
        case .success(let c): comment = c
        case .failure(let e): throw lines.error("extxyz comment line: \(e.message)", column: e.column)
        }
        let info = try ExtXYZFrameInfo(comment, lines: lines)
        let plan: ExtXYZColumnPlan
        if let last = lastPlan, last.properties == info.properties {
            plan = last.plan
        } else {
            plan = try ExtXYZColumnPlan(info.properties, lines: lines)
            lastPlan = (info.properties, plan)
        }

        var species: [String] = []
        species.reserveCapacity(natoms)
        var positions = [SIMD3<Double>](repeating: .zero, count: natoms)
        var forces: [SIMD3<Double>]? = plan.hasForces ? [SIMD3<Double>](repeating: .zero, count: natoms) : nil
        for a in 0..<natoms {
            let line = try lines.next()
            var t = Tokens(line)
            var p = SIMD3<Double>.zero
            var f = SIMD3<Double>.zero
            var symbol: String?
            for action in plan.columns {
                switch action {
                case .position(let k), .force(let k):
                    let x: Double
                    switch t.nextDouble() {
                    case .number(let v) where v.isFinite: x = v
                    case .end:
                        throw lines.error("atom line has too few columns: Properties needs \(plan.columns.count)", column: t.lastColumn)
                    case .number(let v):
                        throw lines.error("expected a finite \(action.name), found \(v)", column: t.lastColumn)
                    case .invalid(let tok):
                        throw lines.error("expected a finite \(action.name), found \(Text.show(tok))", column: t.lastColumn)
                    }
                    if case .position = action { p[k] = x } else { f[k] = x }
                    continue
                default:
                    break
                }
                guard let tok = t.next() else {
                    throw lines.error("atom line has too few columns: Properties needs \(plan.columns.count)", column: t.lastColumn)
                }
                let column = t.lastColumn
                switch action {
                case .species:
                    guard let s = Text.string(tok) else { throw lines.error("species is not valid UTF-8", column: column) }
                    symbol = s
                case .atomicNumber:
                    guard let z = NumberParser.int(tok), let e = Element.withNumber(z) else {
                        throw lines.error("expected an atomic number, found \(Text.show(tok))", column: column)
                    }
                    symbol = e.symbol
                case .position, .force, .skip:
                    break
                }
            }
            if t.next() != nil {
                throw lines.error("atom line has more columns than Properties declares (\(plan.columns.count))", column: t.column)
            }
            guard let symbol else { throw lines.error("atom line has no species") }
            species.append(symbol)
            positions[a] = p
            forces?[a] = f
        }
        return Frame(species: species, positions: positions, cell: info.cell, energy: info.energy,
                     forces: forces, virial: info.virial)
    }
}
