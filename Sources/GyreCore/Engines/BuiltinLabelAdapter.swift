import Foundation

/// Labels with one of Gyre's built-in reference potentials through
/// `gyre engine label`: input.extxyz in, labelled.extxyz out.
public struct BuiltinLabelAdapter: LabelAdapter {
    public let potential: ReferencePotential

    public init(potential: ReferencePotential) {
        self.potential = potential
    }

    public var command: [String] {
        var argv = ["gyre", "engine", "label", "--potential", potential.name, "--input", "input.extxyz", "--output", "labelled.extxyz"]
        if case .lj(let epsilon, let sigma, let cutoff) = potential {
            argv += ["--lj-epsilon", "\(epsilon)", "--lj-sigma", "\(sigma)", "--lj-cutoff", "\(cutoff)"]
        }
        return argv
    }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        var unlabelled = frame
        unlabelled.energy = nil
        unlabelled.forces = nil
        unlabelled.virial = nil
        try AtomicFile.write(ExtXYZ.format(unlabelled), to: directory.appendingPathComponent("input.extxyz"))
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        let url = directory.appendingPathComponent("labelled.extxyz")
        guard FileManager.default.fileExists(atPath: url.path) else { return .failure(LabelRejection("no labelled.extxyz was written")) }
        do {
            let frames = try ExtXYZ.read(url)
            guard frames.count == 1, let frame = frames.first else {
                return .failure(LabelRejection("labelled.extxyz holds \(frames.count) frames, expected 1"))
            }
            if let problem = LabelCheck.validate(frame) { return .failure(problem) }
            return .success(frame)
        } catch {
            return .failure(LabelRejection("labelled.extxyz is unreadable: \(error)"))
        }
    }
}
