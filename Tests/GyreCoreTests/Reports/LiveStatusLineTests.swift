import Foundation
import Testing
@testable import GyreCore

/// The terminal status line's text (the in-place drawing is checked under a
/// pseudo-terminal in GyreCLITests).
@Suite("Reports: live status line")
struct LiveStatusLineTests {
    @Test("shows stage, iteration and step, task counts and elapsed times")
    func content() {
        let line = LiveStatusLine.render(
            label: "iter.003 label", stage: "hot", counts: [.done: 12, .running: 2, .failed: 1, .pending: 25],
            stepElapsed: 75, runElapsed: 3725, width: 200)
        #expect(line == "▸ stage hot · iter.003 label · tasks 12/40 done, 2 running, 1 failed, 25 to run · step 1:15 · elapsed 1:02:05")
    }

    @Test("never wider than the terminal, so `\\r` can erase it")
    func width() {
        let line = LiveStatusLine.render(label: "iter.003 explore", stage: "a-long-stage-name", counts: [.done: 1],
                                         stepElapsed: 1, runElapsed: 1, width: 40)
        #expect(line.count < 40)
    }

    @Test("plain lines off a terminal: no status line at all")
    func plain() {
        #expect(ProgressLog(level: .normal, terminal: false).status == nil)
        #expect(ProgressLog(level: .quiet, terminal: true).status == nil)
        #expect(ProgressLog(level: .normal, terminal: true).status != nil)
    }
}
