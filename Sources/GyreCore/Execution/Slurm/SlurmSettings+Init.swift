import Foundation

extension SlurmSettings {
    /// Settings built in code (benchmarks, tools) rather than decoded from a
    /// workflow; the defaults are the workflow language's.
    public init(
        partition: String? = nil, account: String? = nil, qos: String? = nil, time: String? = nil,
        array: Bool = true, arrayThrottle: Int? = nil, groupSize: Int = 1, maxQueued: Int = 200, pollSeconds: Double = 10,
        extra: [String] = [], setup: [String] = [], template: URL? = nil
    ) {
        self.init(
            partition: partition, account: account, qos: qos, time: time, nodes: nil, ntasks: nil, cpusPerTask: nil,
            gpus: nil, memory: nil, array: array, arrayThrottle: arrayThrottle, groupSize: groupSize, maxQueued: maxQueued,
            pollSeconds: pollSeconds, extra: extra, setup: setup, template: template)
    }
}
