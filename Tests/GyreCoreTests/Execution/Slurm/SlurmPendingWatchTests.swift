import Foundation
import Testing
@testable import GyreCore

/// Warnings for pending jobs, without a cluster: at once for reasons that
/// never clear by waiting, after `patience` for ordinary ones, once per job
/// and reason.
@Suite("Slurm pending-job warnings")
struct SlurmPendingWatchTests {
    @Test func aHeldJobIsWarnedAboutOnceWithWhatToDo() {
        var watch = SlurmPendingWatch(patience: .seconds(600))
        let start = ContinuousClock.now
        let first = watch.observe(pending: ["12_0": "JobHeldUser", "12_1": "JobHeldUser"], now: start)
        #expect(first == ["slurm: 2 jobs (12_0, 12_1) are pending (JobHeldUser): held by its owner: `scontrol release` it (or `scancel` it)"])
        #expect(watch.observe(pending: ["12_0": "JobHeldUser", "12_1": "JobHeldUser"], now: start + .seconds(5)).isEmpty)
        #expect(watch.standingWarnings == first)
        // One starts: only the other still stands.
        #expect(watch.observe(pending: ["12_1": "JobHeldUser"], now: start + .seconds(10)).isEmpty)
        #expect(watch.standingWarnings.first?.hasPrefix("slurm: job 12_1 is pending (JobHeldUser)") ?? false)
        #expect(watch.observe(pending: [:], now: start + .seconds(15)).isEmpty)
        #expect(watch.standingWarnings.isEmpty)
    }

    @Test func anOrdinaryWaitIsWarnedAboutOnlyWhenLong() {
        var watch = SlurmPendingWatch(patience: .seconds(60))
        let start = ContinuousClock.now
        #expect(watch.observe(pending: ["7": "Priority"], now: start).isEmpty)
        #expect(watch.observe(pending: ["7": "Priority"], now: start + .seconds(59)).isEmpty)
        let late = watch.observe(pending: ["7": "Priority"], now: start + .seconds(61))
        #expect(late.count == 1 && late[0].hasPrefix("slurm: job 7 is pending (Priority): other jobs go first"), "\(late)")
        #expect(watch.observe(pending: ["7": "Priority"], now: start + .seconds(120)).isEmpty)
        // A new reason is a new warning.
        let changed = watch.observe(pending: ["7": "ReqNodeNotAvail, UnavailableNodes:n[1-3]"], now: start + .seconds(121))
        #expect(changed.count == 1 && changed[0].contains("`sinfo -R`"), "\(changed)")
    }

    @Test func aJobThatLeftThePendingStateStartsItsWaitAnew() {
        var watch = SlurmPendingWatch(patience: .seconds(60))
        let start = ContinuousClock.now
        _ = watch.observe(pending: ["7": "Resources"], now: start)
        _ = watch.observe(pending: [:], now: start + .seconds(50))
        #expect(watch.observe(pending: ["7": "Resources"], now: start + .seconds(70)).isEmpty)
    }

    @Test func manyJobsAreListedShortly() {
        var watch = SlurmPendingWatch(patience: .seconds(60))
        let pending = Dictionary(uniqueKeysWithValues: (0..<12).map { ("40_\($0)", "PartitionDown") })
        let lines = watch.observe(pending: pending)
        #expect(lines == ["slurm: 12 jobs (40_0, 40_1, 40_2, 40_3, 40_4 and 7 more) are pending (PartitionDown): "
            + "its partition is down: wait for the administrators, or choose another `executor.slurm.partition`"])
    }
}
