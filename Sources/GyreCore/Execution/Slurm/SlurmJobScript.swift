import Foundation

/// The text of one job script: the `#SBATCH` options of the workflow's Slurm
/// settings, its set-up lines, and the commands of the job's tasks. A job
/// runs one *unit* (a list of tasks run one after another) per array element;
/// a plain job has one unit.
struct SlurmJobScript: Sendable {
    /// The file, in each task directory, where the job script records the
    /// task's exit status (`timeout` when its own time limit stopped it),
    /// so the outcome is known even where `sacct` is not.
    static let exitStatusFile = ".gyre-exit-status"

    let settings: SlurmSettings
    let template: SlurmJobTemplate

    /// The script running `units[i]` as array element `i` (or as the whole
    /// job when there is one unit and no array).
    func text(units: [[TaskSpec]]) -> String {
        template.render(sbatch: sbatchOptions, setup: settings.setup, tasks: body(units: units))
    }

    /// `#SBATCH` options, without the `#SBATCH ` prefix. sbatch, not bash,
    /// reads these lines, so they need no shell quoting; line breaks are
    /// removed so a value cannot start a line of its own.
    var sbatchOptions: [String] {
        var options: [String] = []
        func add(_ name: String, _ value: String?) {
            guard let value else { return }
            options.append("--\(name)=\(Self.singleLine(value))")
        }
        add("partition", settings.partition)
        add("account", settings.account)
        add("qos", settings.qos)
        add("time", settings.time)
        add("nodes", settings.nodes.map(String.init))
        add("ntasks", settings.ntasks.map(String.init))
        add("cpus-per-task", settings.cpusPerTask.map(String.init))
        add("gpus", settings.gpus.flatMap { $0 > 0 ? String($0) : nil })
        add("mem", settings.memory)
        for line in settings.extra {
            var option = Self.singleLine(line).trimmingCharacters(in: .whitespaces)
            // `extra` may be written with or without the `#SBATCH` prefix.
            if option.hasPrefix("#SBATCH") { option = String(option.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            if !option.isEmpty { options.append(option) }
        }
        return options
    }

    private static func singleLine(_ value: String) -> String {
        value.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The generated shell code: a function that runs one task and records
    /// its exit status, then, per array element, that function for each task
    /// of the unit, each in a subshell so its `cd` and environment stay its own.
    func body(units: [[TaskSpec]]) -> String {
        var lines = [
            "# Runs one task: $1 its directory, $2 its time limit in seconds ('' for",
            "# none), the rest its argv. Written by gyre; every value below is quoted.",
            "gyre_task() {",
            "  local dir=$1 limit=$2 status start=$SECONDS",
            "  shift 2",
            "  cd -- \"$dir\" || return 0",
            "  rm -f \(exitFile) \(exitFile).tmp",
            "  if [ -n \"$limit\" ]; then",
            "    timeout --kill-after=10 \"$limit\" \"$@\" </dev/null >stdout.log 2>stderr.log",
            "  else",
            "    command \"$@\" </dev/null >stdout.log 2>stderr.log",
            "  fi",
            "  status=$?",
            "  # timeout(1) exits 124 (TERM) or 137 (KILL after a TERM was ignored).",
            "  if [ -n \"$limit\" ] && { [ \"$status\" -eq 124 ] || [ \"$status\" -eq 137 ]; } &&",
            "     [ $((SECONDS - start)) -ge \"$limit\" ]; then status=timeout; fi",
            "  printf '%s\\n' \"$status\" >\(exitFile).tmp && mv -f \(exitFile).tmp \(exitFile)",
            "}",
            "case \"${SLURM_ARRAY_TASK_ID:-0}\" in",
        ]
        for (index, unit) in units.enumerated() {
            lines.append("  \(index))")
            for spec in unit {
                lines.append("    (\(Self.exports(spec))gyre_task \(Self.invocation(spec)))")
            }
            lines.append("    ;;")
        }
        lines.append("esac")
        return lines.joined(separator: "\n")
    }

    private var exitFile: String { Self.exitStatusFile }

    /// `export NAME='value'; …` for the task's extra environment, names that
    /// are not shell identifiers left out (they could not be exported safely).
    static func exports(_ spec: TaskSpec) -> String {
        spec.environment.keys.sorted().compactMap { name -> String? in
            guard isIdentifier(name), let value = spec.environment[name] else { return nil }
            return "export \(name)=\(ShellQuote.quote(value)); "
        }.joined()
    }

    /// The quoted arguments of `gyre_task` for `spec`.
    static func invocation(_ spec: TaskSpec) -> String {
        let limit = spec.timeout.map { duration -> String in
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            return String(max(1, Int(seconds.rounded(.up))))
        } ?? ""
        return ShellQuote.join([spec.directory.path, limit] + spec.command)
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }

    /// What the task's exit-status file says, or nil when it has none (yet).
    static func recordedOutcome(of spec: TaskSpec) -> TaskOutcome? {
        let url = spec.directory.appendingPathComponent(exitStatusFile)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text == "timeout" { return .timedOut }
        guard let status = Int32(text) else { return nil }
        return .exited(status: status)
    }

    /// Removes a stale exit-status file before the task is submitted again.
    static func clearRecordedOutcome(of spec: TaskSpec) {
        try? FileManager.default.removeItem(at: spec.directory.appendingPathComponent(exitStatusFile))
    }
}
