import Foundation
import Testing
@testable import GyreCore

/// DP-GEN's classification rule, case by case, including the exact bounds.
@Suite("Selection: trust window")
struct SelectionTrustWindowTests {
    static let window = TrustWindow(forceLo: 0.05, forceHi: 0.15)
    static let withVirial = TrustWindow(forceLo: 0.05, forceHi: 0.15, virial: .init(lo: 0.02, hi: 0.06))

    @Test("force bounds are half-open: lo is candidate, hi is failed",
          arguments: [
              (0.05, FrameVerdict.candidate), (0.05.nextDown, .accurate), (0.15, .failed), (0.15.nextDown, .candidate),
              (0.0, .accurate), (0.1, .candidate), (3.0, .failed), (Double.infinity, .failed), (Double.nan, .failed),
          ])
    func forceBounds(f: Double, expected: FrameVerdict) {
        #expect(Self.window.verdict(force: f, virial: 1e9) == expected)
    }

    @Test("with a virial window: candidate by either quantity wins first, as in DP-GEN",
          arguments: [
              // (v, f, expected)
              (0.01, 0.01, FrameVerdict.accurate),
              (0.02, 0.01, .candidate),        // v exactly on lo
              (0.06, 0.01, .failed),           // v exactly on hi
              (0.03, 0.20, .candidate),        // v candidate beats f failed (DP-GEN tests candidate first)
              (0.10, 0.10, .candidate),        // f candidate beats v failed
              (0.10, 0.01, .failed),
              (0.01, 0.20, .failed),
              (Double.nan, 0.01, .failed),     // NaN virial counts when the virial window is on
          ])
    func virialWindow(v: Double, f: Double, expected: FrameVerdict) {
        #expect(Self.withVirial.verdict(force: f, virial: v) == expected)
    }

    @Test("without a virial window the virial deviation is ignored, even NaN")
    func virialIgnored() {
        #expect(Self.window.verdict(force: 0.01, virial: .nan) == .accurate)
        #expect(Self.window.verdict(force: 0.01, virial: 1e3) == .accurate)
    }

    @Test("the stage's trust overrides select.trust")
    func stageTrust() {
        let settings = SelectionFixtures.settings(lo: 0.05, hi: 0.15)
        let own = TrustSettings(force: .fixed(lo: 0.1, hi: 0.3), virial: nil)
        let selector = Selector(settings: settings, stage: SelectionFixtures.stage(trust: own), seed: 1, iteration: 0)
        guard case .fixed(let lo, let hi) = selector.trust.force else { Issue.record("expected fixed"); return }
        #expect(lo == 0.1 && hi == 0.3)
        let plain = Selector(settings: settings, stage: SelectionFixtures.stage(), seed: 1, iteration: 0)
        guard case .fixed(let lo2, _) = plain.trust.force else { Issue.record("expected fixed"); return }
        #expect(lo2 == 0.05)
    }
}
