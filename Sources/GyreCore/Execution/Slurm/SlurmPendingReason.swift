/// What a pending job's reason (squeue's `%r`) means for the user: some
/// reasons never clear by waiting and need them to act at once; the others
/// (`Priority`, `Resources`, limits of a busy cluster) only deserve a word
/// when the wait grows long.
enum SlurmPendingReason {
    /// The reason's code: squeue may append details (`ReqNodeNotAvail, UnavailableNodes:n[1-3]`).
    static func code(_ reason: String) -> String {
        String(reason.prefix { $0 != "," && $0 != " " && $0 != "(" })
    }

    /// What to do about a reason that will not clear by waiting; nil for the
    /// reasons a job normally waits on.
    static func blocking(_ reason: String) -> String? {
        switch code(reason) {
        case "JobHeldUser":
            "held by its owner: `scontrol release` it (or `scancel` it)"
        case "JobHeldAdmin":
            "held by an administrator: ask them to release it, or `scancel` it"
        case "PartitionDown", "PartitionInactive":
            "its partition is down: wait for the administrators, or choose another `executor.slurm.partition`"
        case "ReqNodeNotAvail", "NodeDown":
            "the nodes it needs are down, drained or reserved (`sinfo -R` says why): wait, or choose another partition"
        case "BadConstraints", "PartitionNodeLimit", "PartitionTimeLimit", "PartitionConfig":
            "it asks for more than its partition allows: lower `nodes`, `time`, `cpus_per_task` or `mem` in `executor.slurm`, or choose another partition"
        case "QOSMaxWallDurationPerJobLimit", "AssocMaxWallDurationPerJobLimit":
            "its time limit exceeds what its QOS or account allows: lower `executor.slurm.time`"
        case "InvalidAccount", "InvalidQOS", "AccountNotAllowed", "QOSNotAllowed":
            "check `executor.slurm.account` and `qos` (`sacctmgr show assoc user=$USER` lists yours)"
        case "DependencyNeverSatisfied":
            "a job it depends on failed: `scancel` it"
        default:
            nil
        }
    }

    /// What to do about a job that has waited long for an ordinary reason.
    static func longWait(_ reason: String) -> String {
        let why = switch code(reason) {
        case "Priority": "other jobs go first"
        case "Resources": "no free nodes yet"
        default: "`squeue -j <id> -o %r` and the cluster's documentation explain it"
        }
        return "\(why); smaller `cpus_per_task`, `mem` or `gpus`, a shorter `time` or another partition may start sooner"
    }
}
