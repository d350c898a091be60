import Foundation

/// Trains one ensemble member with DeePMD-kit in its task directory: writes
/// input.json from the template, and runs `dp train`, `dp freeze` and
/// optionally `dp compress` as one shell task, so the sequence runs alike
/// under the local executor and in a Slurm job.
public struct DeepmdTrainer: Sendable {
    public static let inputName = "input.json"
    /// `dp freeze -o` / `dp compress -o` prefixes; DeePMD-kit appends the backend's suffix.
    static let frozenPrefix = "frozen_model"
    static let compressedPrefix = "compressed_model"
    /// Model suffixes of DeePMD-kit's backends, in the order they are looked for
    /// (TensorFlow, PyTorch, PyTorch exportable, TensorFlow 2, Paddle).
    static let modelSuffixes = ["pb", "pth", "pt2", "savedmodeltf", "json"]

    /// Where a member's weights start from.
    public enum Start: Sendable, Equatable {
        case scratch
        /// `dp train --init-frz-model`: a frozen model (the member's previous one, or `init_model`).
        case frozenModel(String)
        /// `dp train --finetune`: a pretrained model.
        case finetune(String)
    }

    public let settings: DeepmdTraining
    public let template: DeepmdInputTemplate

    public init(settings: DeepmdTraining) throws {
        self.settings = settings
        template = try DeepmdInputTemplate(contentsOf: settings.template)
    }

    /// The member's shell task. The command words are the user's own (like a
    /// label engine's command); every path Gyre adds is shell-quoted.
    public func command(start: Start) -> [String] {
        let dp = settings.command
        var train = "\(dp) train \(Self.inputName)"
        switch start {
        case .scratch: break
        case .frozenModel(let path): train += " --init-frz-model " + ShellQuote.quote(path)
        case .finetune(let path): train += " --finetune " + ShellQuote.quote(path)
        }
        var lines = ["set -e", train, "\(dp) freeze -o \(Self.frozenPrefix)"]
        if settings.compress {
            lines.append("\(dp) compress -i \(Self.frozenPrefix) -o \(Self.compressedPrefix)")
        }
        return ["/bin/sh", "-c", lines.joined(separator: "\n")]
    }

    /// Writes the member's input.json into `directory`. A member that starts
    /// from a model trains `init_steps` from `init_start_lr`.
    public func prepare(in directory: URL, typeMap: [String], systems: [String], seed: UInt64, start: Start) throws {
        let fromModel = start != .scratch
        let member = DeepmdInputTemplate.Member(
            typeMap: typeMap, systems: systems, seed: seed,
            steps: fromModel ? settings.initSteps ?? settings.steps : settings.steps,
            startLR: fromModel ? settings.initStartLR : nil)
        try AtomicFile.write(try template.input(for: member), to: directory.appendingPathComponent(Self.inputName))
    }

    /// The model explored with: the compressed one when `compress` is set, else the frozen one.
    public func model(in directory: URL) -> String? {
        Self.file(settings.compress ? Self.compressedPrefix : Self.frozenPrefix, in: directory)
    }

    /// The frozen (uncompressed) model a next iteration's member starts from.
    public static func frozenModel(in directory: URL) -> String? {
        file(frozenPrefix, in: directory)
    }

    private static func file(_ prefix: String, in directory: URL) -> String? {
        modelSuffixes.map { "\(prefix).\($0)" }
            .first { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// Frames in deepmd/npy systems (the length of each set's energy.npy): what a member trained on.
    public static func frames(in systems: [URL]) throws -> Int {
        var total = 0
        for system in systems {
            let sets = try FileManager.default.contentsOfDirectory(atPath: system.path).filter { $0.hasPrefix("set.") }
            for set in sets {
                total += try NpyArray.read(system.appendingPathComponent("\(set)/energy.npy")).shape.first ?? 0
            }
        }
        return total
    }

    /// The final errors of a finished member, from its learning curve.
    public func errors(in directory: URL) throws -> DeepmdTrainingErrors? {
        try DeepmdLearningCurve.read(directory.appendingPathComponent(template.learningCurveName)).finalErrors
    }

    /// nil when the member's outputs are complete and sound; else why not,
    /// with the tail of DeePMD-kit's log.
    public func rejection(_ directory: URL) -> String? {
        let problem: String? = {
            let curve: DeepmdLearningCurve
            do {
                curve = try DeepmdLearningCurve.read(directory.appendingPathComponent(template.learningCurveName))
            } catch {
                return "\(template.learningCurveName) is missing or unreadable: \(error)"
            }
            if curve.rows.isEmpty { return "\(template.learningCurveName) has no data rows" }
            if let (step, column) = curve.divergence {
                return "training diverged: \(column) is not finite at step \(Int(step)) of \(template.learningCurveName)"
            }
            if model(in: directory) == nil {
                let prefix = settings.compress ? Self.compressedPrefix : Self.frozenPrefix
                return "no \(prefix).{\(Self.modelSuffixes.joined(separator: ","))} was written"
            }
            return nil
        }()
        return problem.map { problem in
            let tail = Self.logTail(directory)
            return tail.isEmpty ? problem : problem + ": " + tail
        }
    }

    /// The end of DeePMD-kit's log (its stderr), without the `implib-gen:`
    /// lines its CUDA loader prints at every exit on a machine without a GPU:
    /// what a failed member's reason shows.
    public static func logTail(_ directory: URL) -> String {
        StepRunner.tail(of: directory.appendingPathComponent("stderr.log")) { $0.hasPrefix("implib-gen:") }
    }
}
