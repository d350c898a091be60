import Foundation
import GyreTestSupport

extension ExternalTool {
    /// The first Python that imports `modules` (comma-separated, as in an
    /// `import` line): $GYRE_PYTHON, else the repository's .venv.
    static func python(importing modules: String) async -> String? {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["GYRE_PYTHON"] { candidates.append(p) }
        candidates.append(DFTTest.repoRoot.appendingPathComponent(".venv/bin/python").path)
        for p in candidates where FileManager.default.isExecutableFile(atPath: p) {
            if (try? await run(p, ["-c", "import \(modules)"]))?.succeeded == true { return p }
        }
        return nil
    }
}
