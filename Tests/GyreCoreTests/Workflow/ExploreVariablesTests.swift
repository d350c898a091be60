import Foundation
import Testing
@testable import GyreCore

/// `explore.engine: lammps` in the workflow: the template is checked against
/// the stages' `variables:` at `gyre check` time, and `relative` is decoded.
struct ExploreVariablesTests {
    /// The quickstart with LAMMPS exploration from `template` and these extra lines in its stage.
    static func workflow(template: URL, explore extra: String = "", stage: String = "") throws -> String {
        var text = try WorkflowFixtures.patched(
            "explore:\n  engine: builtin\n", "explore:\n  engine: lammps\n  template: \(template.path)\n\(extra)")
        if !stage.isEmpty {
            text = text.replacingOccurrences(of: "      converged_when: {accurate: 0.97}\n",
                                             with: "      converged_when: {accurate: 0.97}\n\(stage)")
        }
        return text
    }

    static func errors(_ text: String) throws -> [Diagnostic] {
        try WorkflowFixtures.analyze(text).1.filter { $0.severity == .error }
    }

    static let biasTemplate = "pair_style deepmd {{models}} {{deviation_keywords}}\nfix b all plumed {{bias}}\nrun {{steps}}\n"

    @Test func variablesSweepAsAGridAndRelativeIsRead() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write(Self.biasTemplate, to: "in.lammps")
        let text = try Self.workflow(template: template, explore: "  relative: 1.5\n  relative_v: 0.5\n",
                                     stage: "      variables: {bias: [0.5, 1.0, 2.0]}\n")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        let wf = try #require(workflow, "\(diagnostics)")
        guard case .lammps(let lammps) = wf.explore.engine else {
            Issue.record("engine is not lammps")
            return
        }
        #expect(lammps.relative == 1.5 && lammps.relativeVirial == 0.5)
        let stage = try #require(wf.explore.stages.first)
        #expect(stage.variables == [StageVariable(name: "bias", values: [0.5, 1, 2])])
        #expect(stage.conditions.count == 2 * 3)
    }

    @Test func builtinEngineRefusesVariables() throws {
        let text = try WorkflowFixtures.patched(
            "      converged_when: {accurate: 0.97}\n", "      converged_when: {accurate: 0.97}\n      variables: {bias: [1]}\n")
        let errors = try Self.errors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("explore.engine `builtin` has none") == true, "\(errors)")
        #expect(errors.first?.lineColumn == "33:18")
    }

    @Test(arguments: [
        ("      variables: {temperature: [1]}\n", "`temperature` is a placeholder Gyre fills in itself"),
        ("      variables: {2x: [1]}\n", "a variable name must be letters, digits and `_`"),
        ("      variables: {bias: []}\n", "must not be empty"),
        ("      variables: {bias: [high]}\n", "bias[0]"),
        ("      variables: [bias]\n", "must map each template placeholder to its values"),
    ])
    func badVariablesAreLocated(stage: String, message: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write(Self.biasTemplate, to: "in.lammps")
        let errors = try Self.errors(try Self.workflow(template: template, stage: stage))
        #expect(errors.contains { $0.message.contains(message) && $0.location.file == "t.yaml" }, "\(errors)")
    }

    @Test func templatePlaceholdersAreCheckedAgainstTheStages() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // A typo, a variable no stage sets: reported in the template at its place.
        let typo = try dir.write("velocity all create {{temprature}} {{seed}}\n", to: "typo.lammps")
        let typoErrors = try Self.errors(try Self.workflow(template: typo))
        #expect(typoErrors.count == 1)
        #expect(typoErrors.first?.location.file == typo.path && typoErrors.first?.lineColumn == "1:21")
        #expect(typoErrors.first?.message.contains("did you mean `temperature`?") == true, "\(typoErrors)")
        // A variable the template never uses.
        let plain = try dir.write("run {{steps}}\n", to: "plain.lammps")
        let unused = try Self.errors(try Self.workflow(template: plain, stage: "      variables: {bias: [1]}\n"))
        #expect(unused.map(\.message) == ["explore.stages[0].variables.bias: the template plain.lammps has no `{{bias}}`"])
    }

    @Test func everyStageMustSetTheTemplatesVariables() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write(Self.biasTemplate, to: "in.lammps")
        let second = """
                  variables: {bias: [1]}
                - name: hot
                  systems: [bulk]
                  temperatures: [900]
                  steps: 2000
                  converged_when: {accurate: 0.97}

            """
        let errors = try Self.errors(try Self.workflow(template: template, stage: second))
        #expect(errors.map(\.message) == [
            "explore.stages[1]: stage `hot` sets no `bias` in `variables:`, but the template uses `{{bias}}` (in.lammps:2)",
        ])
    }

    @Test func invalidMustacheIsReportedInTheTemplate() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let template = try dir.write("units metal\n{{#masses}}\nmass {{type}} {{mass}}\n{{/mass}}\n", to: "in.lammps")
        let errors = try Self.errors(try Self.workflow(template: template))
        #expect(errors.count == 1)
        #expect(errors.first?.location.file == template.path && errors.first?.location.line == 4, "\(errors)")
    }

    @Test func stockTemplatePassesTheCheck() throws {
        let template = WorkflowFixtures.repositoryRoot.appendingPathComponent("Templates/lammps/in.lammps")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(try Self.workflow(template: template))
        #expect(workflow != nil, "\(diagnostics)")
    }
}
