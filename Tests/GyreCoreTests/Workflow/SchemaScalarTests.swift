import Foundation
import Testing

@testable import GyreCore

/// Plain scalars are typed by what the schema expects, never by YAML 1.1 guessing.
@Suite("Schema scalars")
struct SchemaScalarTests {
    @Test func yesNoAndOnStayStringsWhereNamesAreExpected() throws {
        let (workflow, diagnostics) = WorkflowLoader.analyze(try WorkflowFixtures.url("good/yes-no-on.yaml"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let loaded = try #require(workflow)
        #expect(loaded.name == "yes")
        #expect(loaded.systems.map(\.name) == ["no"])
        #expect(loaded.explore.stages.map(\.name) == ["on"])
        #expect(loaded.explore.stages.first?.systems == ["no"])
    }

    @Test func exponentNumbersAreNumbersAndWholeWhenExact() throws {
        let (workflow, diagnostics) = WorkflowLoader.analyze(try WorkflowFixtures.url("good/yes-no-on.yaml"))
        #expect(diagnostics.isEmpty)
        #expect(workflow?.seed == 1000)
        #expect(workflow?.explore.stages.first?.steps == 2000)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var at: String
        var message: String
        var testDescription: String { new }
    }

    static let scalarErrors: [Case] = [
        .init(old: "models: 4", new: "models: \"7\"", at: "19:11", message: "train.models must be a number, found the quoted string \"7\"; remove the quotes"),
        .init(old: "models: 4", new: "models: '4'", at: "19:11", message: "found the quoted string \"4\"; remove the quotes"),
        .init(old: "models: 4", new: "models: 2.5", at: "19:11", message: "train.models must be a whole number, found `2.5`"),
        .init(old: "models: 4", new: "models: four", at: "19:11", message: "train.models must be a number, found `four`"),
        .init(old: "models: 4", new: "models: [4]", at: "19:11", message: "train.models must be a number, found a list"),
        .init(old: "models: 4", new: "models: .nan", at: "19:11", message: "must be a finite number, found `.nan`"),
        .init(old: "models: 4", new: "models: 1e400", at: "19:11", message: "must be a finite number, found `1e400`"),
        .init(old: "models: 4", new: "models: 0x10", at: "19:11", message: "must be a number, found `0x10`"),
        .init(old: "seed: 7", new: "seed: yes", at: "2:7", message: "seed must be a number, found `yes`"),
        .init(old: "name: cu-quickstart", new: "name: [cu]", at: "1:7", message: "name must be text, found a list"),
        .init(old: "strategy: diverse", new: "strategy: 'no'", at: "37:13", message: "found `no`"),
    ]

    @Test(arguments: scalarErrors)
    func scalarErrorsSayWhatWasFound(_ c: Case) throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(WorkflowFixtures.patched(c.old, c.new))
        #expect(workflow == nil)
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.description))")
        let d = try #require(diagnostics.first)
        #expect(d.lineColumn == c.at, "\(d)")
        #expect(d.message.contains(c.message), "\(d)")
    }

    @Test(arguments: ["1e3", "1000", "1_000", "+1000", "1.0e3", "1000.0"])
    func wholeNumbersInAnyPlainSpelling(_ spelling: String) throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(WorkflowFixtures.patched("steps: 2000", "steps: \(spelling)"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(workflow?.explore.stages.first?.steps == 1000)
    }

    @Test(arguments: [("yes", true), ("no", false), ("on", true), ("off", false), ("true", true), ("False", false)])
    func booleanSpellingsWhereABooleanIsExpected(_ spelling: String, _ value: Bool) throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(
            WorkflowFixtures.patched("  models: 4\n", "  models: 4\n  init_from_previous: \(spelling)\n"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(workflow?.train.initFromPrevious == value)
    }
}
