import Foundation

/// Labels molecules with Gaussian: writes `input.gjf` from the template
/// (charge, multiplicity, basis, Cartesian geometry), runs the user's command (by
/// default `g16 input.gjf`, which writes `input.log`), and reads the log.
public struct GaussianLabelAdapter: LabelAdapter {
    public static let inputName = "input.gjf"
    public static let outputNames = ["input.log", "stdout.log"]
    /// The basis when `label.basis` is not given.
    public static let defaultBasis = "6-31G(d)"

    public let template: InputTemplate
    public let settings: DFTSettings

    public init(settings: DFTSettings) throws {
        template = try InputTemplate(contentsOf: settings.template)
        self.settings = settings
    }

    /// The user's configured command through the shell; nothing from frames is substituted.
    public var command: [String] { ["/bin/sh", "-c", settings.command] }

    public func prepare(_ frame: Frame, in directory: URL) throws {
        let geometry = zip(frame.species, frame.positions).map { "\($0) \(QEInputWriter.vector($1))" }
        let text = template.render([
            "charge": "\(settings.charge)", "multiplicity": "\(settings.multiplicity)", "basis": settings.basis,
            "geometry": geometry.joined(separator: "\n"),
        ])
        try AtomicFile.write(text, to: directory.appendingPathComponent(Self.inputName))
    }

    public func read(_ directory: URL) -> Result<Frame, LabelRejection> {
        let outputs = Self.outputNames.map { directory.appendingPathComponent($0) }
        guard let output = outputs.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
              let data = try? Data(contentsOf: output)
        else { return .failure(LabelRejection("no Gaussian log (\(Self.outputNames.joined(separator: " or ")))")) }
        return GaussianLog(String(decoding: data, as: UTF8.self)).frame()
    }
}
