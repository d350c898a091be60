import Foundation
import Synchronization

/// The status line `gyre run` keeps at the bottom of a terminal while a
/// step's tasks run: erased (`\r` + erase-line) and redrawn on every log line
/// and once a second, so counts and elapsed times stay current; log lines
/// are printed above it.
final class LiveStatusLine: Sendable {
    /// The step being shown.
    struct Shown: Sendable {
        var label: String
        var stage: String?
        var startedAt: Date
        /// Task counts by state, read when the line is drawn.
        var counts: @Sendable () -> [TaskState: Int]?
    }

    private struct State {
        var shown: Shown?
        var visible = false
    }

    private let state = Mutex(State())
    private let runStart = Date()
    /// Redraws once a second so elapsed times tick between events.
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init() {
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard let self else { return }
                self.refresh()
            }
        }
        ticker.withLock { $0 = task }
    }

    deinit {
        ticker.withLock { $0?.cancel() }
    }

    func begin(label: String, stage: String?, counts: @escaping @Sendable () -> [TaskState: Int]?) {
        state.withLock { s in
            s.shown = Shown(label: label, stage: stage, startedAt: Date(), counts: counts)
            draw(&s)
        }
    }

    func end() {
        state.withLock { s in
            if s.visible { Self.write(Self.erase) }
            s.visible = false
            s.shown = nil
        }
    }

    /// A log line, printed above the status line, which is then redrawn.
    func print(_ line: String) {
        state.withLock { s in
            Self.write((s.visible ? Self.erase : "") + line)
            s.visible = false
            draw(&s)
        }
    }

    /// Redraws with fresh counts (a task ended).
    func refresh() {
        state.withLock { s in draw(&s) }
    }

    private func draw(_ s: inout State) {
        guard let shown = s.shown else { return }
        let line = Self.render(
            label: shown.label, stage: shown.stage, counts: shown.counts() ?? [:], stepElapsed: Date().timeIntervalSince(shown.startedAt),
            runElapsed: Date().timeIntervalSince(runStart), width: Self.terminalWidth())
        Self.write(Self.erase + line)
        s.visible = true
    }

    static let erase = "\r\u{1B}[2K"

    /// The status text, cut to the terminal's width so it never wraps (a
    /// wrapped line cannot be erased with `\r`).
    static func render(label: String, stage: String?, counts: [TaskState: Int], stepElapsed: Double, runElapsed: Double,
                       width: Int) -> String {
        let total = counts.values.reduce(0, +)
        let waiting = (counts[.pending] ?? 0) + (counts[.waiting] ?? 0)
        var parts: [String] = []
        if let stage { parts.append("stage \(stage)") }
        parts.append(label)
        parts.append("tasks \(counts[.done] ?? 0)/\(total) done, \(counts[.running] ?? 0) running, \(counts[.failed] ?? 0) failed"
            + (waiting > 0 ? ", \(waiting) to run" : ""))
        parts.append("step \(clock(stepElapsed))")
        parts.append("elapsed \(clock(runElapsed))")
        let line = "▸ " + parts.joined(separator: " · ")
        return line.count > width ? String(line.prefix(max(width - 1, 10))) : line
    }

    /// 0:07, 12:34, 3:05:09.
    static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 120 }
        return Int(size.ws_col)
    }

    private static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
