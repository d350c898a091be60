/// How long to wait before the next squeue: `poll_seconds` while jobs keep
/// finishing, backing off (×1.5, up to 4× `poll_seconds`) while nothing
/// changes or the scheduler does not answer, so long jobs cost few calls.
struct SlurmPollPacing {
    let base: Double
    private(set) var seconds: Double

    init(base: Double) {
        self.base = max(0.05, base)
        self.seconds = self.base
    }

    var interval: Duration { .milliseconds(Int64(seconds * 1000)) }

    mutating func record(progress: Bool) {
        seconds = progress ? base : min(seconds * 1.5, base * 4)
    }
}
