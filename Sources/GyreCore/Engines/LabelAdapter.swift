import Foundation

/// What the loop needs from a label engine (DESIGN.md, principle 6): the
/// files a task needs, the command that runs it, and how its outputs are read
/// back and judged. Adding a reference code means adding one adapter.
public protocol LabelAdapter: Sendable {
    /// The task's command (argv; no shell unless the adapter asks for one).
    /// A leading `gyre` is run as the current gyre binary.
    var command: [String] { get }

    /// Writes every input file of a label task for `frame` into `directory`.
    func prepare(_ frame: Frame, in directory: URL) throws

    /// The frame with energy, forces (and virial when the code gives one) in
    /// eV, eV/Å, eV — or why the outputs are not acceptable (missing,
    /// truncated, SCF not converged, NaN…). Unconverged results never pass.
    func read(_ directory: URL) -> Result<Frame, LabelRejection>
}

/// Why a label task's outputs were refused; recorded as the task's failure reason.
public struct LabelRejection: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension LabelAdapter {
    /// nil when the outputs are acceptable: the step runner's acceptance test.
    public func rejection(_ directory: URL) -> String? {
        switch read(directory) {
        case .success: nil
        case .failure(let r): r.reason
        }
    }
}

/// Checks every labelled frame must pass before it enters the data set.
public enum LabelCheck {
    /// `structure` with the labels a reader found, or why they are unacceptable.
    public static func labelled(
        _ structure: Frame, energy: Double, forces: [SIMD3<Double>], virial: Matrix3?
    ) -> Result<Frame, LabelRejection> {
        var frame = structure
        frame.energy = energy
        frame.forces = forces
        frame.virial = virial
        if let problem = validate(frame) { return .failure(problem) }
        return .success(frame)
    }

    public static func validate(_ frame: Frame) -> LabelRejection? {
        guard let e = frame.energy, e.isFinite else { return LabelRejection("no finite energy") }
        guard let forces = frame.forces, forces.count == frame.count else {
            return LabelRejection("no force for every atom")
        }
        guard forces.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
            return LabelRejection("non-finite forces")
        }
        if let v = frame.virial, !v.isFinite { return LabelRejection("non-finite virial") }
        return nil
    }
}
