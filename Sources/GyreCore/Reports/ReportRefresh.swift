import Foundation

/// Rewrites `<workdir>/report.html` while a run goes on. The report runs as
/// `gyre report` in its own process — like every engine, the loop never
/// evaluates models in-process — and a report that fails or hangs only
/// costs a note: it never stops the run.
public enum ReportRefresh {
    /// The page `gyre run` keeps up to date in the workdir.
    public static let fileName = "report.html"

    /// Runs `gyre report <workdir> --html <workdir>/report.html`; waits at most `limit`.
    public static func write(workdir: URL, progress: ProgressLog, limit: Duration = .seconds(120)) async {
        let output = workdir.appendingPathComponent(fileName)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GyreExecutable.path)
        process.arguments = ["report", workdir.path, "--html", output.path, "--quiet"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            progress.note("could not start `gyre report` to refresh \(output.path): \(error)")
            return
        }
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            if Task.isCancelled {
                // The run is stopping (Ctrl-C): do not hold it up for a page.
                process.terminate()
                return
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            progress.note("report.html not refreshed: `gyre report` took longer than \(limit)")
            return
        }
        if process.terminationStatus != 0 {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit \(process.terminationStatus)"
            progress.note("report.html not refreshed: \(message)")
        }
    }
}
