import Foundation
import Testing

@testable import GyreCore

/// One case per decoder rule not already covered by the fixture corpus: the
/// quickstart with one edit, the single error it must produce, and where.
@Suite("Workflow validation rules")
struct ValidationRuleTests {
    struct Rule: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var at: String
        var message: String
        var errors = 1
        var testDescription: String { message }
    }

    static let label = "  engine: builtin\n  potential: emt"
    static let bulk = "  bulk: {lattice: fcc, a: 3.61, repeat: [3, 3, 3]}"

    static let rules: [Rule] = [
        .init(old: "elements: [Cu]\n", new: "", at: "1:1", message: "missing required key `elements`"),
        .init(old: "name: cu-quickstart", new: "name: ..", at: "1:7", message: "name `..` may contain only letters"),
        .init(old: "  - generate:\n", new: "  - init.extxyz\n  - generate:\n", at: "6:5", message: "data[0] must be a mapping (`key: value` lines), found `init.extxyz`"),
        .init(old: "rattle: 0.05", new: "rattle: 1", at: "10:15", message: "data[0].generate.rattle must be from 0 up to (not including) 1 Å, found 1"),
        .init(old: "  models: 4", new: "  models: 4\n  template: input.json", at: "20:3", message: "train.template belongs to engine deepmd, but train.engine is `builtin`"),
        .init(old: "sample_every: 20", new: "sample_every: 0", at: "30:21", message: "explore.stages[0].sample_every must be at least 1, found 0"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: Cu.UPF}\n  kspacing: 20", at: "43:13", message: "label.kspacing must be below 10.0 Å⁻¹, found 20"),
        .init(old: "  local: {slots: 2}", new: "  slurm: {array: maybe}", at: "46:18", message: "executor.slurm.array must be true or false, found `maybe`"),
        .init(old: "trust: {lo: 0.05, hi: 0.30}", new: "trust: {hi: 0.30, adaptive: {hi: 0.3}}", at: "35:11", message: "select.trust.hi cannot be combined with `adaptive` (put `hi` inside `adaptive`)"),
        .init(old: "  - generate:\n", new: "  - {}\n  - generate:\n", at: "6:5", message: "data[0] needs `path:` (a deepmd/npy directory or .extxyz file) or `generate:`"),
        .init(old: "  - generate:\n", new: "  - path:\n  - generate:\n", at: "6:5", message: "data[0]: `path` or `generate` is empty"),
        .init(old: "temperatures: [300, 600]", new: "temperatures: 300", at: "27:21", message: "temperatures must be a list (`[a, b]` or `- a` lines), found `300`"),
        .init(old: bulk, new: "  bulk: {lattice: fcc, a: 3.61, composition: [Cu]}", at: "15:46", message: "systems.bulk.composition must map elements to fractions"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: [Cu.UPF]", at: "42:21", message: "label.pseudopotentials must map each element to a file"),
        .init(old: "      converged_when:", new: "      convergn:", at: "32:7", message: "unknown key `explore.stages[0].convergn`: `explore.stages[0]` accepts `name`, `systems`, `ensemble`, `temperatures`, `pressures`, `steps`, `timestep`, `sample_every`, `max_iterations`, `converged_when`, `trust`, `variables`; did you mean `converged_when`?"),
        .init(old: "      temperatures:", new: "      temp:", at: "27:7", message: "did you mean `temperatures`?"),
        .init(old: "elements: [Cu]", new: "elements: [Cu, Cu]", at: "3:16", message: "elements[1]: `Cu` is listed twice"),
        .init(old: "elements: [Cu]", new: "elements: [cu]", at: "3:12", message: "element symbols are case-sensitive: `Cu`"),
        .init(old: "elements: [Cu]", new: "elements: []", at: "3:11", message: "elements must not be empty"),
        .init(old: "elements: [Cu]\n", new: "elements: [Cu]\nmasses: {Cu: 0}\n", at: "4:14", message: "masses.Cu must be a mass in amu between 0 and 1000"),
        .init(old: "elements: [Cu]\n", new: "elements: [Cu]\nmasses: [63.5]\n", at: "4:9", message: "masses must be a mapping of element to mass"),
        .init(old: "name: cu-quickstart\n", new: "name: cu-quickstart\nworkdir: [runs]\n", at: "2:10", message: "workdir must be text, found a list"),
        .init(old: "select:\n", new: "selct:\n", at: "34:1", message: "unknown key `selct`: a workflow accepts"),
        .init(old: "  - generate:\n", new: "  - path: init.extxyz\n    generate:\n", at: "6:5", message: "data[0] has both `path` and `generate`"),
        .init(old: "  - generate:\n", new: "  - genrate:\n", at: "6:5", message: "did you mean `generate`?"),
        .init(old: "strain: 0.02", new: "strain: 0.6", at: "11:15", message: "data[0].generate.strain must be from 0 up to (not including) 0.5"),
        .init(old: "count: 16", new: "count: 0", at: "12:14", message: "data[0].generate.count must be between 1 and 100000, found 0"),
        .init(old: "systems:\n" + bulk, new: "systems: {}", at: "14:10", message: "systems must name at least one structure"),
        .init(old: "systems:\n" + bulk, new: "systems: [bulk]", at: "14:10", message: "systems must be a mapping of names to structures"),
        .init(old: "  bulk: {", new: "  bulk/x: {", at: "15:3", message: "system name `bulk/x` must be a non-empty word"),
        .init(old: bulk, new: "  bulk: {path: POSCAR, lattice: fcc}", at: "15:24", message: "systems.bulk.lattice cannot be combined with `path`"),
        .init(old: bulk, new: "  bulk: {lattice: fcc, a: 3.61, element: Cu, composition: {Cu: 1}}", at: "15:9", message: "systems.bulk has both `element` and `composition`"),
        .init(old: "elements: [Cu]", new: "elements: [Cu, Au]", at: "7:7", message: "data[0].generate needs `element:` or `composition:`", errors: 2),
        .init(old: "repeat: [3, 3, 3]", new: "repeat: [100, 100, 100]", at: "15:41", message: "systems.bulk.repeat builds 4000000 atoms; the limit is 100000"),
        .init(old: "repeat: [3, 3, 3]", new: "repeat: [3, 0, 3]", at: "15:45", message: "systems.bulk.repeat[1] must be between 1 and 100, found 0"),
        .init(old: "a: 3.61, repeat", new: "a: -3.61, repeat", at: "15:27", message: "systems.bulk.a must be greater than 0 Å, found -3.61"),
        .init(old: bulk, new: "  bulk: {lattice: fcc, a: 3.61, composition: {Cu: 0.5, Ag: 0.5}}", at: "15:56", message: "systems.bulk.composition.Ag: `Ag` is not in `elements` (Cu)"),
        .init(old: bulk, new: "  bulk: {lattice: fcc, a: 3.61, composition: {Cu: 0}}", at: "15:51", message: "composition.Cu must be a fraction above 0 to 1"),
        .init(old: "- name: warm", new: "- name: warm up", at: "24:13", message: "explore.stages[0].name must be a word without `/` or spaces"),
        .init(old: "ensemble: nvt\n", new: "ensemble: nvx\n      pressures: [1.0]\n", at: "26:17", message: "ensemble must be one of `nve`, `nvt`, `npt`, found `nvx`"),
        .init(old: "temperatures: [300, 600]", new: "temperatures: [300, 2e5]", at: "27:27", message: "temperatures[1] must be above 0 K and at most 100000 K, found 2e5"),
        .init(old: "steps: 2000", new: "steps: 0", at: "28:14", message: "explore.stages[0].steps must be between 1 and 1000000000, found 0"),
        .init(old: "max_iterations: 5", new: "max_iterations: 0", at: "31:23", message: "max_iterations must be between 1 and 10000, found 0"),
        .init(old: "converged_when: {accurate: 0.97}", new: "converged_when: {acurate: 0.97}", at: "32:24", message: "did you mean `accurate`?"),
        .init(old: "converged_when: {accurate: 0.97}", new: "converged_when: {accurate: 0}", at: "32:34", message: "converged_when.accurate must be a fraction above 0 to 1"),
        .init(old: "  max_per_iteration: 40\n", new: "  max_per_iteration: 40\n  max_per_system: 0\n", at: "37:19", message: "select.max_per_system must be between 1 and 1000000, found 0"),
        .init(old: "trust: {lo: 0.05, hi: 0.30}", new: "trust: {adaptive: {hi: 0.3, top: 0}}", at: "35:36", message: "select.trust.adaptive.top must be between 1 and 10000000, found 0"),
        .init(old: "trust: {lo: 0.05, hi: 0.30}", new: "trust: {lo: 0.05, hi: 0.30, virial: {lo: 2, hi: 1}}", at: "35:44", message: "select.trust.virial.lo (2) must be below select.trust.virial.hi (1)"),
        .init(old: "trust: {lo: 0.05, hi: 0.30}", new: "trust: {lo: 0, hi: 0.30}", at: "35:15", message: "select.trust.lo must be greater than 0 eV/Å, found 0"),
        .init(old: "trust: {lo: 0.05, hi: 0.30}", new: "trust: {lo: 0.05}", at: "35:10", message: "missing required key `select.trust.hi`"),
        .init(old: "      converged_when: {accurate: 0.97}\n", new: "      converged_when: {accurate: 0.97}\n      trust: {lo: 0.5, hi: 0.2}\n", at: "33:19", message: "explore.stages[0].trust.lo (0.5) must be below explore.stages[0].trust.hi (0.2)"),
        .init(old: "explore:\n  engine: builtin", new: "explore:\n  engine: builtin\n  max_deviation: -1", at: "23:18", message: "explore.max_deviation must be greater than 0 eV/Å, found -1"),
        .init(old: "explore:\n  engine: builtin", new: "explore:\n  engine: lammps\n  template: ../templates/pw.in\n  min_distance: 0.5", at: "24:3", message: "explore.min_distance belongs to engine builtin, but explore.engine is `lammps`"),
        .init(old: "explore:\n  engine: builtin", new: "explore:\n  engine: gromacs", at: "22:11", message: "explore.engine must be one of `builtin`, `lammps`, found `gromacs`"),
        .init(old: label, new: "  engine: builtin\n  potential: lj\n  lj: {epsilon: 0.4, sigma: 2.3, cutoff: 2.0}", at: "42:42", message: "label.lj.cutoff (2.0) must exceed sigma (2.3)"),
        .init(old: label, new: "  engine: builtin\n  potential: emt\n  lj: {epsilon: 0.4, sigma: 2.3}", at: "42:3", message: "label.lj applies to `potential: lj` only"),
        .init(old: label, new: "  engine: builtin\n  potential: lj", at: "40:3", message: "missing required key `label.lj`"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in", at: "40:3", message: "missing required key `label.pseudopotentials`"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Au: Au.UPF}", at: "42:22", message: "label.pseudopotentials.Au: `Au` is not in `elements`"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: Cu.UPF}\n  pseudo_dir: nowhere", at: "43:15", message: "label.pseudo_dir: pseudopotential directory `nowhere` does not exist"),
        .init(old: label, new: "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: Cu.UPF}\n  pseudo_dir: ../templates", at: "42:26", message: "label.pseudopotentials.Cu: `Cu.UPF` is not in pseudo_dir"),
        .init(old: label, new: "  engine: qe\n  template: ../templates\n  pseudopotentials: {Cu: Cu.UPF}", at: "41:13", message: "label.template: `../templates` is a directory, expected a file"),
        .init(old: label, new: "  engine: gaussian\n  template: ../templates/pw.in\n  multiplicity: 0", at: "42:17", message: "label.multiplicity must be between 1 and 20, found 0"),
        .init(old: label + "\n  retries: 2", new: "  engine: orca\n  potential: emt\n  retries: 200", at: "40:11", message: "label.engine must be one of", errors: 2),
        .init(old: "  local: {slots: 2}", new: "  slurm: {partion: cpu}", at: "46:11", message: "unknown key `executor.slurm.partion`: `executor.slurm` accepts"),
        .init(old: "  local: {slots: 2}", new: "  slurm: {time: \"99999999:00:00\"}", at: "46:17", message: "executor.slurm.time must be a Slurm time"),
        .init(old: "  local: {slots: 2}", new: "  slurm: {setup: [\"a\\nb\"]}", at: "46:19", message: "executor.slurm.setup[0] must be a single line"),
        .init(old: "  local: {slots: 2}", new: "  external: {poll_seconds: 60}", at: "46:3", message: "executor.external: the `external` executor is for the label step only"),
        .init(old: "  local: {slots: 2}", new: "  {}", at: "46:3", message: "executor must have exactly one of `local`, `slurm`, `external`, found none"),
        .init(old: "  retries: 2\n", new: "  retries: 2\n  timeout: 0\n", at: "43:12", message: "label.timeout must be greater than 0 seconds, found 0"),
        .init(old: "select:\n  trust: {lo: 0.05, hi: 0.30}\n  max_per_iteration: 40\n  strategy: diverse\n", new: "", at: "1:1", message: "missing required key `select`"),
    ]

    @Test(arguments: rules)
    func ruleReportsOneLocatedError(_ rule: Rule) throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(WorkflowFixtures.patched(rule.old, rule.new))
        #expect(workflow == nil)
        let errors = diagnostics.filter { $0.severity == .error }
        let first = try #require(errors.first)
        #expect(first.lineColumn == rule.at, "\(first)")
        #expect(first.message.contains(rule.message), "\(first)")
        #expect(errors.count == rule.errors, "\(errors.map(\.description))")
    }

    @Test func everyElementNeedsAPseudopotential() throws {
        var text = try WorkflowFixtures.patched(Self.label, "  engine: qe\n  template: ../templates/pw.in\n  pseudopotentials: {Cu: Cu.UPF}")
        text = text.replacingOccurrences(of: "elements: [Cu]", with: "elements: [Cu, Au]")
            .replacingOccurrences(of: "      lattice: fcc\n", with: "      lattice: fcc\n      element: Cu\n")
            .replacingOccurrences(of: "bulk: {lattice: fcc,", with: "bulk: {lattice: fcc, element: Cu,")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(workflow == nil)
        #expect(diagnostics.map(\.description) == [
            "t.yaml:43:21: error: label.pseudopotentials has no entry for Au"
        ])
    }

    @Test func theIssueExampleReadsAsSpecified() throws {
        let text = try WorkflowFixtures.patched("  trust: {lo: 0.05, hi: 0.30}", "  trust:\n    lo: 0.4\n    hi: 0.3")
        let (_, diagnostics) = WorkflowLoader.analyze(bytes: Array(text.utf8), file: "quick.yaml", directory: try WorkflowFixtures.directory("bad"))
        #expect(diagnostics.map(\.description) == ["quick.yaml:36:9: error: select.trust.lo (0.4) must be below select.trust.hi (0.3)"])
    }

    @Test func theBaseWorkflowIsValidWithItsDefaults() throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(WorkflowFixtures.base)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let w = try #require(workflow)
        #expect(w.select.skipFirst == 0 && w.select.cutAfterFailure == false)
        #expect(w.explore.minDistance == 0.5)
        #expect(w.explore.maxDeviation == 3 * 0.30)
        #expect(w.label.step.retries == 2)
        #expect(w.workdir.lastPathComponent == "cu-quickstart")
        #expect(w.workdir.deletingLastPathComponent().lastPathComponent == "runs")
    }

    @Test func anEmptyExecutorKindTakesItsDefaults() throws {
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(WorkflowFixtures.patched("  local: {slots: 2}", "  local:"))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        guard case .local(let local)? = workflow?.executor else {
            Issue.record("expected a local executor")
            return
        }
        #expect(local.slots == max(1, ProcessInfo.processInfo.activeProcessorCount))
    }

    @Test func suggestionsIgnoreHugeWords() {
        let clock = ContinuousClock()
        let huge = String(repeating: "Q", count: 3_000_000)
        var suggestion: String?
        let elapsed = clock.measure { suggestion = Suggestion.closest(to: huge, among: Element.all.map(\.symbol)) }
        #expect(suggestion == nil)
        #expect(elapsed < .milliseconds(200))
        #expect(Suggestion.closest(to: "tempratures", among: WorkflowDecoder.stageKeys) == "temperatures")
        #expect(Suggestion.closest(to: "sample", among: WorkflowDecoder.stageKeys) == "sample_every")
        #expect(Suggestion.closest(to: "st", among: WorkflowDecoder.stageKeys) == nil)
        #expect(Suggestion.closest(to: "temporary_files", among: WorkflowDecoder.stageKeys) == nil)
    }

    @Test func anExternalExecutorIsAllowedForLabels() throws {
        let text = try WorkflowFixtures.patched("  retries: 2\n", "  retries: 2\n  executor: {external: {poll_seconds: 30}}\n")
        let (workflow, diagnostics) = try WorkflowFixtures.analyze(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(workflow != nil)
    }
}
