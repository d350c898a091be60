import Foundation

/// One MD task's output as the selection step sees it: the ensemble's
/// deviations (`model_devi.out`) and the sampled frames (`traj.extxyz` or a
/// LAMMPS dump, one frame per data row of `model_devi.out`, in the same order).
public struct Trajectory: Sendable {
    /// How the sampled frames are stored.
    public enum FrameFormat: Sendable, Hashable {
        case extxyz
        /// `dump custom … id type x y z …`; type i+1 is `typeMap[i]` (the workflow's `elements`).
        case lammpsDump(typeMap: [String])
    }

    /// The task's name (its directory name), reported as the origin of picked frames.
    public var task: String
    /// The system explored, as named in the workflow's `systems:`.
    public var system: String
    /// The thermodynamic condition, e.g. "T=300 K" or "T=600 K P=1 bar".
    public var condition: String
    public var modelDeviation: URL
    public var frames: URL
    public var framesFormat: FrameFormat

    public init(task: String, system: String, condition: String, modelDeviation: URL, frames: URL,
                framesFormat: FrameFormat = .extxyz) {
        self.task = task
        self.system = system
        self.condition = condition
        self.modelDeviation = modelDeviation
        self.frames = frames
        self.framesFormat = framesFormat
    }

    /// The task directory's `model_devi.out` and `traj.extxyz`.
    public init(task: String, system: String, condition: String, directory: URL) {
        self.init(task: task, system: system, condition: condition,
                  modelDeviation: directory.appendingPathComponent("model_devi.out"),
                  frames: directory.appendingPathComponent("traj.extxyz"))
    }
}
