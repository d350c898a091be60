import Foundation
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one task's command to its end: output to log files, a new session,
/// the timeout, and cleanup of the whole process group.
public struct TaskLauncher: Sendable {
    public var gracePeriod: Duration

    public init(gracePeriod: Duration) {
        self.gracePeriod = gracePeriod
    }

    private enum Event: Sendable {
        case finished(Result<TerminationStatus, any Error>)
        case timerFired
        case timerStopped
    }

    /// Runs `spec`, returning its outcome and wall time. Never throws: every
    /// failure is an outcome.
    public func run(_ spec: TaskSpec, onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void) async -> (TaskOutcome, Duration) {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await outcome(of: spec, onStart: onStart)
        return (outcome, clock.now - started)
    }

    private func outcome(of spec: TaskSpec, onStart: @escaping @Sendable (TaskSpec, ProcessIdentity) async -> Void) async -> TaskOutcome {
        let configuration: Configuration
        switch makeConfiguration(spec) {
        case .success(let made): configuration = made
        case .failure(let reason): return .launchFailed(reason.message)
        }
        let logs: (out: FileDescriptor, err: FileDescriptor)
        do {
            logs = try openLogs(spec)
        } catch {
            return .launchFailed("cannot open log files in \(spec.directory.path): \(error)")
        }
        defer {
            try? logs.out.close()
            try? logs.err.close()
        }

        let leader = LeaderPID()
        var timedOut = false
        var finished: Result<TerminationStatus, any Error>?
        await withTaskGroup(of: Event.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        configuration,
                        input: .none,
                        output: .fileDescriptor(logs.out, closeAfterSpawningProcess: false),
                        error: .fileDescriptor(logs.err, closeAfterSpawningProcess: false)
                    ) { execution in
                        let pid = execution.processIdentifier.value
                        leader.set(pid)
                        // Read before the process can be reaped: the body runs
                        // while the child is at worst a zombie, so the PID is ours.
                        let identity = ProcStat.read(pid: pid).map { ProcessIdentity(pid: pid, startTime: $0.startTime) }
                            ?? ProcessIdentity(pid: pid, startTime: 0)
                        await onStart(spec, identity)
                    }
                    return .finished(.success(result.terminationStatus))
                } catch {
                    return .finished(.failure(error))
                }
            }
            if let timeout = spec.timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        return .timerFired
                    } catch {
                        return .timerStopped
                    }
                }
            }
            for await event in group {
                switch event {
                case .timerFired:
                    // Cancelling the run makes swift-subprocess play the
                    // teardown sequence on the whole group.
                    timedOut = true
                    group.cancelAll()
                case .timerStopped:
                    break
                case .finished(let result):
                    finished = result
                    group.cancelAll()
                }
            }
        }

        // The teardown ends when the leader dies; members that outlived it
        // (ignored SIGTERM, or left in the background) must not outlive the
        // task. The group id cannot have been reused while members remain.
        if let pgid = leader.value {
            OrphanReaper.killGroup(pgid, signal: SIGKILL)
        }

        if timedOut { return .timedOut }
        if Task.isCancelled {
            // A command that exited 0 as the stop request came had finished:
            // rerunning a long DFT for that would waste hours. Anything else
            // was (or may have been) cut short.
            if case .success(.exited(0)) = finished { return .exited(status: 0) }
            return .cancelled
        }
        switch finished {
        case .success(.exited(let status)):
            return .exited(status: status)
        case .success(.signaled(let signal)):
            return .signalled(signal)
        case .failure(let error) where error is CancellationError:
            return .cancelled
        case .failure(let error):
            return .launchFailed(String(describing: error))
        case .none:
            return .cancelled
        }
    }

    private struct LaunchProblem: Error {
        var message: String
    }

    private func makeConfiguration(_ spec: TaskSpec) -> Result<Configuration, LaunchProblem> {
        guard let program = spec.command.first, !program.isEmpty else {
            return .failure(LaunchProblem(message: "the command is empty"))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec.directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(LaunchProblem(message: "task directory \(spec.directory.path) does not exist"))
        }
        let executable: Executable
        if program.contains("/") {
            // Relative paths mean what they would after `cd` into the task directory.
            let path = program.hasPrefix("/") ? program : spec.directory.appendingPathComponent(program).path
            executable = .path(FilePath(path))
        } else {
            executable = .name(program)
        }
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in spec.environment {
            guard !name.isEmpty, !name.contains("="), let key = Environment.Key(rawValue: name) else {
                return .failure(LaunchProblem(message: "invalid environment variable name \"\(name)\""))
            }
            overrides[key] = value
        }
        // Set last so a spec cannot drop it: how a resumed gyre finds this task's
        // processes if it is killed before journaling them.
        if let marker = Environment.Key(rawValue: TaskMarker.variable) {
            overrides[marker] = TaskMarker.value(for: spec.directory)
        }
        var options = PlatformOptions()
        // Its own session: the task and all it spawns form one process group
        // that gyre can stop at once and that a terminal's Ctrl-C never reaches.
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        return .success(Configuration(
            executable: executable,
            arguments: Arguments(Array(spec.command.dropFirst())),
            environment: .inherit.updating(overrides),
            workingDirectory: FilePath(spec.directory.path),
            platformOptions: options
        ))
    }

    private func openLogs(_ spec: TaskSpec) throws -> (out: FileDescriptor, err: FileDescriptor) {
        let permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
        let out = try FileDescriptor.open(
            FilePath(spec.standardOutputURL.path), .writeOnly,
            options: [.create, .truncate, .closeOnExec], permissions: permissions
        )
        do {
            let err = try FileDescriptor.open(
                FilePath(spec.standardErrorURL.path), .writeOnly,
                options: [.create, .truncate, .closeOnExec], permissions: permissions
            )
            return (out, err)
        } catch {
            try? out.close()
            throw error
        }
    }
}

/// The PID of a task's session leader, set once it is spawned, read after it ended.
private final class LeaderPID: Sendable {
    private let storage = Mutex<Int32?>(nil)
    func set(_ pid: Int32) { storage.withLock { $0 = pid } }
    var value: Int32? { storage.withLock { $0 } }
}
