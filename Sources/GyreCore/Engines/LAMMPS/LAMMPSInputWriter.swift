import Foundation

/// Writes one LAMMPS exploration task: the starting structure as `conf.lmp`
/// and `in.lammps` from the user's Mustache template, filled with the values
/// Gyre owns (models, thermostat, sampling). Every value filled in is a number
/// or a relative path Gyre made, so nothing from the workflow reaches LAMMPS's
/// input parser or the shell unchecked.
public struct LAMMPSInputWriter: Sendable {
    public static let inputName = "in.lammps"
    public static let dataName = "conf.lmp"
    public static let modelDeviationName = "model_devi.out"
    public static let dumpName = "traj.dump"
    public static let logName = "log.lammps"
    /// Thermostat and barostat damping times, ps: DP-GEN's defaults.
    public static let thermostatDamping = 0.1
    public static let barostatDamping = 0.5

    /// The placeholders Gyre fills in; a stage variable may not take one of these names.
    public static let builtinPlaceholders: [String] = [
        "data_file", "type_map", "masses", "type", "element", "mass", "models", "deviation_keywords", "sample_every",
        "ensemble", "fix", "temperature", "pressure", "tau_t", "tau_p", "seed", "steps", "timestep",
    ]

    public let template: InputTemplate
    public let settings: LAMMPSExploration
    /// LAMMPS atom types in this order: type i+1 is `elements[i]` (DeePMD's type_map).
    public let elements: [String]
    public let masses: [String: Double]

    public init(settings: LAMMPSExploration, elements: [String], masses: [String: Double]) throws {
        template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
        self.elements = elements
        self.masses = masses
    }

    /// The configured command (e.g. `lmp -i in.lammps`) through the shell; nothing is substituted into it.
    public var command: [String] { ["/bin/sh", "-c", settings.command] }

    /// The rows of `model_devi.out` a complete run writes: step 0 and every `sample_every` steps.
    public static func expectedRows(_ stage: Stage) -> Int { stage.steps / stage.sampleEvery + 1 }

    /// Writes `conf.lmp` and `in.lammps` into `directory`.
    /// - Parameter models: the frozen models, relative to `directory`.
    public func prepare(start: Frame, stage: Stage, condition: ExplorationCondition, models: [String], seed: UInt64,
                        in directory: URL) throws {
        let data = try LAMMPSData.format(start, typeMap: elements)
        let input = template.render(try values(stage: stage, condition: condition, models: models, seed: seed))
        try AtomicFile.write(data, to: directory.appendingPathComponent(Self.dataName))
        try AtomicFile.write(input, to: directory.appendingPathComponent(Self.inputName))
    }

    /// The template's values for one task.
    public func values(stage: Stage, condition: ExplorationCondition, models: [String], seed: UInt64) throws -> [String: Any] {
        var massRows: [[String: String]] = []
        for (i, element) in elements.enumerated() {
            guard let mass = masses[element] ?? Element.named(element)?.mass else {
                throw GyreError(.invalidInput, "no mass for \(element): add it to `masses`")
            }
            massRows.append(["type": "\(i + 1)", "element": element, "mass": Self.number(mass)])
        }
        var keywords = "out_freq \(stage.sampleEvery) out_file \(Self.modelDeviationName)"
        if let level = settings.relative { keywords += " relative \(Self.number(level))" }
        if let level = settings.relativeVirial { keywords += " relative_v \(Self.number(level))" }
        let t = Self.number(condition.temperature)
        let tauT = Self.number(Self.thermostatDamping), tauP = Self.number(Self.barostatDamping)
        let fix: String
        switch stage.ensemble {
        case .nve: fix = "nve"
        case .nvt: fix = "nvt temp \(t) \(t) \(tauT)"
        case .npt:
            let p = Self.number(condition.pressure ?? 1)
            fix = "npt temp \(t) \(t) \(tauT) iso \(p) \(p) \(tauP)"
        }
        var values: [String: Any] = [
            "data_file": Self.dataName,
            "type_map": elements.joined(separator: " "),
            "masses": massRows,
            "models": models.joined(separator: " "),
            "deviation_keywords": keywords,
            "sample_every": "\(stage.sampleEvery)",
            "ensemble": stage.ensemble.rawValue,
            "fix": fix,
            "temperature": t,
            "tau_t": tauT,
            "tau_p": tauP,
            // LAMMPS wants a positive seed; task seeds start at 0.
            "seed": "\(seed + 1)",
            "steps": "\(stage.steps)",
            "timestep": Self.number(stage.timestep),
        ]
        if let p = condition.pressure { values["pressure"] = Self.number(p) }
        for v in condition.variables { values[v.name] = Self.number(v.value) }
        return values
    }

    /// Integers without a decimal point; other values as Swift's shortest round-trip text (LAMMPS reads `1e-05`).
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }
}
