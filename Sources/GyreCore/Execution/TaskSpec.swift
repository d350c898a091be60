import Foundation

/// One command for an executor to run: where, what, with which extra
/// environment, and for how long at most.
public struct TaskSpec: Sendable, Hashable, Identifiable {
    /// The journal's task id, echoed back in callbacks.
    public var id: Int64
    /// The task directory (absolute); the command runs there, and its
    /// `stdout.log` and `stderr.log` are written there.
    public var directory: URL
    /// argv, run without a shell. A first element with a `/` is a path
    /// (relative ones resolved against `directory`); otherwise it is looked
    /// up in `PATH`.
    public var command: [String]
    /// Added to (and overriding) the environment gyre inherited.
    public var environment: [String: String]
    /// Wall-clock limit; when it passes the task's whole process group is
    /// stopped (SIGTERM, grace period, SIGKILL). nil for no limit.
    public var timeout: Duration?

    public init(id: Int64, directory: URL, command: [String], environment: [String: String] = [:], timeout: Duration? = nil) {
        self.id = id
        self.directory = directory
        self.command = command
        self.environment = environment
        self.timeout = timeout
    }

    /// The file receiving the command's standard output.
    public var standardOutputURL: URL { directory.appendingPathComponent("stdout.log") }
    /// The file receiving the command's standard error.
    public var standardErrorURL: URL { directory.appendingPathComponent("stderr.log") }
}
