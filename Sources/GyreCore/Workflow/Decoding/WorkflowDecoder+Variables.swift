import Foundation

/// A stage's `variables:` (template placeholders swept as a grid) and the
/// LAMMPS template they fill, checked together so a mistyped placeholder or
/// an unused variable fails `gyre check`, not the first MD task.
extension WorkflowDecoder {
    /// What a stage's `variables:` may be, given the exploration engine.
    enum StageVariableRule {
        /// The engine itself is invalid: only the variables' own shape is checked.
        case unchecked
        /// The engine has no input template to fill (the built-in one).
        case forbidden(engine: String)
        /// The engine's template, with the placeholders it uses (nil: the template itself is broken).
        case template(URL, [TemplatePlaceholder]?)
    }

    /// The placeholders of a LAMMPS input template; a template that does not
    /// compile is reported at its own line and gives nil.
    func lammpsTemplatePlaceholders(_ url: URL) -> [TemplatePlaceholder]? {
        do {
            _ = try InputTemplate(contentsOf: url)
            return TemplatePlaceholders.scan(try String(contentsOf: url, encoding: .utf8))
        } catch let e as GyreError {
            reader.error(e.message, in: e.location ?? SourceLocation(file: url.path))
        } catch {
            reader.error("cannot read the LAMMPS input template: \(error.localizedDescription)", in: SourceLocation(file: url.path))
        }
        return nil
    }

    /// `variables: {bias: [0.5, 1.0], …}`: names that can be Mustache placeholders
    /// and are not Gyre's own, each with a non-empty list of numbers.
    func decodeVariables(_ node: Node, _ path: KeyPath, rule: StageVariableRule) -> [StageVariable]? {
        if case .forbidden(let engine) = rule {
            reader.error(
                "\(path) fill placeholders of an MD input template, and explore.engine `\(engine)` has none; "
                    + "use `engine: lammps` with a template", at: node.mark)
            return nil
        }
        guard case .mapping(let pairs) = node.content else {
            reader.error("\(path) must map each template placeholder to its values, e.g. `{bias: [0.5, 1.0]}`", at: node.mark)
            return nil
        }
        var out: [StageVariable] = []
        var ok = true
        for pair in pairs {
            guard let name = reader.string(pair.key, path) else { ok = false; continue }
            let p = path / name
            if !Self.isPlaceholderName(name) {
                reader.error("\(p): a variable name must be letters, digits and `_`, not starting with a digit", at: pair.key.mark)
                ok = false
            } else if LAMMPSInputWriter.builtinPlaceholders.contains(name) {
                reader.error(
                    "\(p): `\(name)` is a placeholder Gyre fills in itself; give the variable another name", at: pair.key.mark)
                ok = false
            }
            guard let values = reader.numbers(pair.value, p) else { ok = false; continue }
            out.append(StageVariable(name: name, values: values.map(\.0)))
        }
        return ok ? out : nil
    }

    /// Every placeholder of the template is Gyre's or a variable some stage
    /// sets; every stage sets each variable the template uses; every variable is used.
    /// - Parameter stages: decoded stages with their nodes, in order.
    func checkTemplateVariables(_ url: URL, _ placeholders: [TemplatePlaceholder], stages: [(Stage, Node)], _ path: KeyPath) {
        let builtin = Set(LAMMPSInputWriter.builtinPlaceholders)
        let declared = Set(stages.flatMap { $0.0.variables.map(\.name) })
        var reported = Set<String>()
        for p in placeholders where !builtin.contains(p.name) && !declared.contains(p.name) && reported.insert(p.name).inserted {
            reader.error(
                "`{{\(p.name)}}` is neither a placeholder Gyre fills in nor a variable of any stage (add it to a stage's "
                    + "`variables:`)" + Suggestion.phrase(for: p.name, among: LAMMPSInputWriter.builtinPlaceholders),
                in: SourceLocation(file: url.path, line: p.line, column: p.column))
        }
        let used = Set(placeholders.map(\.name))
        for (i, (stage, node)) in stages.enumerated() {
            let mine = Set(stage.variables.map(\.name))
            let keyMark = Self.keyMark("variables", in: node) ?? node.mark
            for v in stage.variables where !used.contains(v.name) {
                reader.error("\(path.index(i) / "variables" / v.name): the template \(url.lastPathComponent) has no `{{\(v.name)}}`",
                             at: keyMark)
            }
            var missing: [TemplatePlaceholder] = []
            for p in placeholders where declared.contains(p.name) && !mine.contains(p.name) && !missing.contains(where: { $0.name == p.name }) {
                missing.append(p)
            }
            for p in missing {
                reader.error(
                    "\(path.index(i)): stage `\(stage.name)` sets no `\(p.name)` in `variables:`, but the template uses "
                        + "`{{\(p.name)}}` (\(url.lastPathComponent):\(p.line))", at: keyMark)
            }
        }
    }

    static func isPlaceholderName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil) }
    }

    private static func keyMark(_ key: String, in node: Node) -> Mark? {
        guard case .mapping(let pairs) = node.content else { return nil }
        return pairs.first { $0.key.scalarText == key }?.key.mark
    }
}
