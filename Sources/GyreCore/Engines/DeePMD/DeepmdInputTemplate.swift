import Foundation

/// The user's DeePMD-kit input.json, checked once and completed per ensemble
/// member: Gyre sets the type map, the training systems, the seeds, and the
/// steps and starting learning rate when asked; every other key stays as the
/// user wrote it.
public struct DeepmdInputTemplate: Sendable {
    public let url: URL
    /// The template's bytes; parsed again per member (a JSON tree is not Sendable).
    let text: Data
    /// The learning-curve file the template names (`training.disp_file`, DeePMD-kit's default `lcurve.out`).
    public let learningCurveName: String

    /// Reads and checks the template: a JSON object whose `model`, `training`
    /// and `training.training_data`, when present, are objects too.
    public init(contentsOf url: URL) throws {
        let text: Data
        do {
            text = try Data(contentsOf: url)
        } catch {
            throw GyreError(.io, "cannot read the DeePMD-kit template", at: SourceLocation(file: url.path), cause: error)
        }
        self.url = url
        self.text = text
        let root = try Self.parse(text, url)
        let training = try Self.object(root["training"], "training", url) ?? [:]
        _ = try Self.object(root["model"], "model", url)
        _ = try Self.object(training["training_data"], "training.training_data", url)
        switch training["disp_file"] {
        case nil:
            learningCurveName = "lcurve.out"
        case let name as String where !name.isEmpty && !name.contains("/") && name != "." && name != "..":
            learningCurveName = name
        default:
            throw GyreError(.invalidInput, "training.disp_file must be a file name (no directory)", at: SourceLocation(file: url.path))
        }
    }

    /// What one member's input.json gets on top of the template.
    public struct Member: Sendable {
        public var typeMap: [String]
        /// deepmd/npy system directories, relative to the member's task directory.
        public var systems: [String]
        public var seed: UInt64
        /// `training.numb_steps`; nil keeps the template's.
        public var steps: Int?
        /// `learning_rate.start_lr`; nil keeps the template's.
        public var startLR: Double?

        public init(typeMap: [String], systems: [String], seed: UInt64, steps: Int? = nil, startLR: Double? = nil) {
            self.typeMap = typeMap
            self.systems = systems
            self.seed = seed
            self.steps = steps
            self.startLR = startLR
        }
    }

    /// The member's input.json (sorted keys, so a rerun writes the same bytes).
    public func input(for member: Member) throws -> Data {
        var root = try Self.parse(text, url)
        var model = root["model"] as? [String: Any] ?? [:]
        model["type_map"] = member.typeMap
        // Distinct, reproducible seeds per member for every random initialisation.
        if var descriptor = model["descriptor"] as? [String: Any] {
            descriptor["seed"] = taskSeed(member.seed, "descriptor")
            if let parts = descriptor["list"] as? [[String: Any]] {
                // A hybrid descriptor initialises each of its parts.
                descriptor["list"] = parts.enumerated().map { i, part in
                    var part = part
                    part["seed"] = taskSeed(member.seed, "descriptor", "\(i)")
                    return part
                }
            }
            model["descriptor"] = descriptor
        }
        if var fitting = model["fitting_net"] as? [String: Any] {
            fitting["seed"] = taskSeed(member.seed, "fitting_net")
            model["fitting_net"] = fitting
        }
        root["model"] = model
        var training = root["training"] as? [String: Any] ?? [:]
        var data = training["training_data"] as? [String: Any] ?? [:]
        data["systems"] = member.systems
        training["training_data"] = data
        training["seed"] = taskSeed(member.seed, "training")
        if let steps = member.steps { training["numb_steps"] = steps }
        root["training"] = training
        if let lr = member.startLR {
            var rate = root["learning_rate"] as? [String: Any] ?? [:]
            rate["start_lr"] = lr
            root["learning_rate"] = rate
        }
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }

    private static func parse(_ text: Data, _ url: URL) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: text)
        } catch {
            throw GyreError(.malformedFile, "the DeePMD-kit template is not valid JSON", at: SourceLocation(file: url.path), cause: error)
        }
        guard let root = value as? [String: Any] else {
            throw GyreError(.invalidInput, "the DeePMD-kit template must be a JSON object ({…}) at the top level",
                            at: SourceLocation(file: url.path))
        }
        return root
    }

    private static func object(_ value: Any?, _ key: String, _ url: URL) throws -> [String: Any]? {
        guard let value else { return nil }
        guard let object = value as? [String: Any] else {
            throw GyreError(.invalidInput, "`\(key)` in the DeePMD-kit template must be a JSON object", at: SourceLocation(file: url.path))
        }
        return object
    }
}
