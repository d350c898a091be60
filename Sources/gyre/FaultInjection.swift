import Foundation
import GyreCore

/// Deliberate failures of built-in engine tasks, for testing how a run copes
/// with a flaky reference code: `GYRE_FAULT_INJECTION=label:RATE[:SEED]`.
/// Each attempt of a task decides from its directory, the attempt number
/// (counted in `fault.attempts` there) and the seed alone, so runs repeat
/// exactly and a retry rolls again, like a flaky code; a failing attempt exits
/// 1, writes garbage output, or hangs (to exercise timeouts). Unset, it does nothing.
enum FaultInjection {
    enum Fault {
        case exit, garbage, hang
    }

    static func fault(for engine: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Fault? {
        guard let spec = environment["GYRE_FAULT_INJECTION"] else { return nil }
        let parts = spec.split(separator: ":").map(String.init)
        guard parts.count >= 2, parts[0] == engine, let rate = Double(parts[1]), rate > 0 else { return nil }
        let seed = parts.count > 2 ? UInt64(parts[2]) ?? 0 : 0
        let attempt = nextAttempt()
        // The task's place in the workdir (iter.NNN/label/task.NNN), not its absolute
        // path: the same tasks fail wherever the workdir is.
        let place = FileManager.default.currentDirectoryPath.split(separator: "/").suffix(3).joined(separator: "/")
        var random = SeededGenerator(seed: seed, stream: [place, "\(attempt)"])
        guard random.nextUnit() < rate else { return nil }
        switch random.next() % 3 {
        case 0: return .exit
        case 1: return .garbage
        default: return .hang
        }
    }

    /// Counts this task's attempts in its directory (0 for the first).
    private static func nextAttempt() -> Int {
        let url = URL(fileURLWithPath: "fault.attempts")
        let previous = (try? String(contentsOf: url, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        try? AtomicFile.write("\(previous + 1)\n", to: url)
        return previous
    }

    /// Acts out the fault; returns only for `.garbage`, after writing it to `output`.
    static func act(_ fault: Fault, output: URL) throws {
        switch fault {
        case .exit:
            FileHandle.standardError.write(Data("injected fault: exit 1\n".utf8))
            exit(1)
        case .garbage:
            try AtomicFile.write("3\nthis is not a labelled frame\n\u{0}\u{1}garbage\n", to: output)
        case .hang:
            FileHandle.standardError.write(Data("injected fault: hanging\n".utf8))
            while true { sleep(3600) }
        }
    }
}
