import ArgumentParser
import Foundation
import GyreBuiltin
import GyreCore

extension Gyre.Engine {
    /// Labels frames with a built-in reference potential: the stand-in for DFT.
    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Label frames with energy, forces and virial from a built-in reference potential.",
            discussion: """
                Reads every frame of --input (extxyz), evaluates it with the reference \
                potential and writes the labelled frames to --output atomically. The \
                virial is W = −σV in eV, as DeePMD-kit stores it.
                """
        )

        @OptionGroup var reference: ReferencePotentialOptions

        @Option(help: "Frames to label (extxyz).")
        var input: String

        @Option(help: "Where to write the labelled frames (extxyz).")
        var output: String

        func validate() throws {
            guard reference.potential != nil else { throw ValidationError("choose --potential emt, sw or lj") }
        }

        func run() async throws {
            if let fault = FaultInjection.fault(for: "label") {
                try FaultInjection.act(fault, output: URL(fileURLWithPath: output))
                return
            }
            let inputURL = URL(fileURLWithPath: input)
            let frames = try ExtXYZ.read(inputURL)
            guard !frames.isEmpty else {
                throw GyreError(.invalidInput, "no frames", at: SourceLocation(file: input))
            }
            let elements = frames.flatMap(\.species)
            guard let potential = try reference.make(elements: elements) else { return }
            var labelled: [Frame] = []
            labelled.reserveCapacity(frames.count)
            for (index, frame) in frames.enumerated() {
                let result: PotentialResult
                do {
                    result = try potential.evaluate(frame)
                } catch let error as GyreError {
                    throw GyreError(error.code, "frame \(index): \(error.message)", at: SourceLocation(file: input), cause: error.cause)
                }
                var out = frame
                out.energy = result.energy
                out.forces = result.forces
                out.virial = frame.cell == nil ? nil : result.virial
                labelled.append(out)
            }
            let text = labelled.map(ExtXYZ.format).joined()
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
        }
    }
}
