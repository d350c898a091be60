import Foundation
import Testing

@testable import GyreCore

/// Every file under Fixtures/workflows/bad is quickstart with one thing broken:
/// it must fail with exactly the expected errors at the expected place.
@Suite("Malformed workflow corpus")
struct MalformedWorkflowCorpusTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var file: String
        /// `line:column` of the first error.
        var at: String
        var message: String
        /// How many errors the file produces: more than expected is a cascade.
        var errors = 1

        var testDescription: String { file }
    }

    static let corpus: [Expectation] = [
        .init(file: "alias-bomb", at: "19:11", message: "is this an alias bomb?"),
        .init(file: "bool-not-boolean", at: "20:23", message: "train.init_from_previous must be true or false, found `maybe`"),
        .init(file: "c-on-fcc", at: "15:33", message: "systems.bulk.c applies to hcp lattices only; this one is fcc"),
        .init(file: "composition-not-one", at: "15:46", message: "fractions must add up to 1, they add up to 0.6"),
        .init(file: "converged-when-empty", at: "32:23", message: "converged_when needs `accurate:`"),
        .init(file: "data-path-missing", at: "6:11", message: "data[0].path: data `data/init` does not exist"),
        .init(file: "duplicate-key", at: "3:1", message: "duplicate key `seed`"),
        .init(file: "element-not-listed", at: "15:42", message: "systems.bulk.element: `Ag` is not in `elements` (Cu)"),
        .init(file: "emt-without-silicon", at: "41:14", message: "emt has no parameters for Si"),
        .init(file: "executor-two-kinds", at: "47:3", message: "exactly one of `local`, `slurm`, `external`, found `local`, `slurm`"),
        .init(file: "executor-typo", at: "46:3", message: "unknown key `executor.locl`"),
        .init(file: "external-executor-on-train", at: "21:5", message: "`external` executor is for the label step only"),
        .init(file: "infinite-temperature", at: "27:27", message: "temperatures[1] must be a finite number, found `.inf`"),
        .init(file: "lammps-without-template", at: "22:3", message: "missing required key `explore.template`"),
        .init(file: "lattice-typo", at: "15:19", message: "found `fcx`; did you mean `fcc`?"),
        .init(file: "lo-stable-fixed-trust", at: "32:24", message: "lo_stable needs an adaptive trust window"),
        .init(file: "masses-unknown-element", at: "4:22", message: "masses.Ag: `Ag` is not in `elements` (Cu)"),
        .init(file: "max-failed-above-one", at: "43:15", message: "label.max_failed must be a fraction from 0 to 1, found 1.5"),
        .init(file: "merge-scalar", at: "16:9", message: "`<<` merges mappings only, found `fcc`"),
        .init(file: "missing-template", at: "20:13", message: "train.template: template `Templates/deepmd/input.json` does not exist"),
        .init(file: "models-one", at: "19:11", message: "train.models must be between 2 and 64, found 1"),
        .init(file: "name-empty", at: "1:1", message: "`name` is empty"),
        .init(file: "name-missing", at: "1:1", message: "missing required key `name`"),
        .init(file: "name-with-space", at: "1:7", message: "name `cu quickstart` may contain only letters"),
        .init(file: "npt-without-pressures", at: "26:17", message: "missing required key `explore.stages[0].pressures`"),
        .init(file: "potential-under-qe", at: "41:3", message: "label.potential belongs to engine builtin, but label.engine is `qe`"),
        .init(file: "pressures-on-nvt", at: "27:7", message: "pressures apply to the npt ensemble only; this stage is nvt"),
        .init(file: "quoted-number", at: "28:14", message: "steps must be a number, found the quoted string \"2000\"; remove the quotes"),
        .init(file: "rattle-quoted", at: "10:15", message: "rattle must be a number, found the quoted string \"0.05\""),
        .init(file: "repeat-two-values", at: "15:41", message: "repeat must list 3 whole numbers"),
        .init(file: "retries-negative", at: "42:12", message: "label.retries must be between 0 and 100, found -1"),
        .init(file: "sample-every-above-steps", at: "30:21", message: "sample_every (5000) must not exceed explore.stages[0].steps (2000)"),
        .init(file: "seed-negative", at: "2:7", message: "seed must be 0 or a positive whole number, found -1"),
        .init(file: "skip-first-above-steps", at: "28:14", message: "steps (2000) must exceed select.skip_first (2000)"),
        .init(file: "slots-zero", at: "46:18", message: "executor.local.slots must be between 1 and 1024, found 0"),
        .init(file: "slurm-template-missing", at: "46:37", message: "executor.slurm.template: job script template `Templates/slurm/nope.sh` does not exist"),
        .init(file: "slurm-template-without-tasks", at: "46:37", message: "job-without-tasks.sh: the job script template must contain {{{tasks}}}"),
        .init(file: "slurm-time-invalid", at: "46:33", message: "executor.slurm.time must be a Slurm time"),
        .init(file: "stage-defined-twice", at: "33:7", message: "stage `warm` is defined twice"),
        .init(file: "stage-system-missing", at: "25:23", message: "no system named `slab` in `systems` (defined: bulk)"),
        .init(file: "stages-empty", at: "23:11", message: "explore.stages must not be empty"),
        .init(file: "strategy-unknown", at: "37:13", message: "found `divers`; did you mean `diverse`?"),
        .init(file: "tab-indentation", at: "19:1", message: "tab character that violates indentation; YAML indents with spaces"),
        .init(file: "temperature-zero", at: "27:27", message: "temperatures[1] must be above 0 K and at most 100000 K, found 0"),
        .init(file: "timeout-invalid", at: "43:12", message: "label.timeout must be seconds or a time like"),
        .init(file: "timestep-too-large", at: "29:17", message: "timestep must be below 0.1 ps, found 0.5"),
        .init(file: "top-level-list", at: "1:1", message: "a workflow must be a mapping (`key: value` lines), found a list"),
        .init(file: "train-engine-unknown", at: "18:11", message: "train.engine must be one of `builtin`, `deepmd`, found `nequip`", errors: 2),
        .init(file: "trust-lo-above-hi", at: "35:15", message: "select.trust.lo (0.4) must be below select.trust.hi (0.3)"),
        .init(file: "trust-lo-above-hi-block", at: "36:9", message: "select.trust.lo (0.4) must be below select.trust.hi (0.3)"),
        .init(file: "two-documents", at: "47:1", message: "holds one YAML document"),
        .init(file: "typo-temperatures", at: "27:7", message: "unknown key `explore.stages[0].tempratures`"),
        .init(file: "unclosed-bracket", at: "5:5", message: "is the `[` opened at 3:11 missing its `]`?"),
        .init(file: "undefined-alias", at: "15:9", message: "alias *cell refers to no anchor &cell"),
        .init(file: "unknown-element", at: "3:12", message: "`Cx` is not an element symbol; did you mean `C`?"),
    ]

    @Test("each malformed workflow fails at the expected place", arguments: corpus)
    func fails(_ expected: Expectation) throws {
        let url = try WorkflowFixtures.url("bad/\(expected.file).yaml")
        let (workflow, diagnostics) = WorkflowLoader.analyze(url)
        #expect(workflow == nil)
        let errors = diagnostics.filter { $0.severity == .error }
        let first = try #require(errors.first, "\(expected.file) produced no error")
        #expect(first.lineColumn == expected.at, "\(first)")
        #expect(first.message.contains(expected.message), "\(first)")
        #expect(first.location.file.hasSuffix("\(expected.file).yaml"))
        #expect(errors.count == expected.errors, "\(errors.map(\.description))")
    }

    @Test func theCorpusCoversEveryFile() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: WorkflowFixtures.directory("bad").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(files.count >= 30)
        #expect(Set(files) == Set(Self.corpus.map(\.file)))
    }

    @Test func everyMistakeInAFileIsReported() throws {
        let (workflow, diagnostics) = WorkflowLoader.analyze(try WorkflowFixtures.url("multi/five-mistakes.yaml"))
        #expect(workflow == nil)
        let found = diagnostics.map { "\($0.lineColumn) \($0.message)" }
        let expected = [
            ("2:7", "seed must be 0 or a positive whole number, found -1"),
            ("19:11", "train.models must be between 2 and 64, found 1"),
            ("27:7", "did you mean `temperatures`?"),
            ("35:15", "select.trust.lo (0.4) must be below select.trust.hi (0.3)"),
            ("41:14", "found `emtt`; did you mean `emt`?"),
        ]
        #expect(diagnostics.count == expected.count, "\(found)")
        for (d, (at, message)) in zip(diagnostics, expected) {
            #expect(d.lineColumn == at && d.message.contains(message), "\(d)")
        }
    }

    @Test func duplicateKeysAndSchemaErrorsAreReportedTogether() throws {
        let (workflow, diagnostics) = WorkflowLoader.analyze(try WorkflowFixtures.url("multi/duplicates-and-schema.yaml"))
        #expect(workflow == nil)
        let found = diagnostics.map { "\($0.lineColumn) \($0.message)" }
        #expect(found == [
            "3:1 duplicate key `seed`",
            "20:11 train.models must be between 2 and 64, found 1",
            "21:3 duplicate key `models`",
        ])
        #expect(diagnostics.map { $0.notes.map(\.lineColumn) } == [["2:1"], [], ["20:3"]])
    }

    @Test func duplicateKeyNotesTheFirstDefinition() throws {
        let (_, diagnostics) = WorkflowLoader.analyze(try WorkflowFixtures.url("bad/duplicate-key.yaml"))
        let note = try #require(diagnostics.first?.notes.first)
        #expect(note.lineColumn == "2:1")
        #expect(note.message == "first defined here")
    }

    static let shipped: [String] = {
        let dir = WorkflowFixtures.repositoryRoot.appendingPathComponent("Workflows")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }()

    @Test func workflowsFolderIsNotEmpty() {
        #expect(Self.shipped.contains("quickstart.yaml"))
    }

    @Test("every shipped workflow passes", arguments: shipped)
    func shippedWorkflowPasses(_ name: String) {
        let url = WorkflowFixtures.repositoryRoot.appendingPathComponent("Workflows").appendingPathComponent(name)
        let (workflow, diagnostics) = WorkflowLoader.analyze(url)
        #expect(workflow != nil)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.description))")
    }
}
