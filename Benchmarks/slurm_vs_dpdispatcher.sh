#!/bin/bash
# 500 short tasks (`true`) on the local Slurm through Gyre's Slurm executor and
# through dpdispatcher (Slurm + LazyLocalContext), same poll interval, in the
# same run. Scheduler calls are counted by wrappers of sbatch/squeue/sacct/
# scancel put first on PATH. Prints wall times, call counts and ratios.
#   Tests/Scripts/slurm-cluster.sh up && export SLURM_CONF=…
#   .venv/bin/pip install dpdispatcher
#   [GYRE_BENCH=path/to/gyre-bench] Benchmarks/slurm_vs_dpdispatcher.sh [tasks] [poll seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
TASKS=${1:-500}
POLL=${2:-1}
PYTHON=${GYRE_PYTHON:-.venv/bin/python}
sinfo >/dev/null || { echo "no Slurm answers sinfo: start Tests/Scripts/slurm-cluster.sh up" >&2; exit 1; }
"$PYTHON" -c 'import dpdispatcher' || { echo "pip install dpdispatcher into .venv first" >&2; exit 1; }
# GYRE_BENCH: an already built gyre-bench (the executor's own cost is small
# next to the scheduler's, so a debug build measures the same).
if [ -z "${GYRE_BENCH:-}" ]; then
  swift build -c release --product gyre-bench >/dev/null
  GYRE_BENCH="$(swift build -c release --show-bin-path)/gyre-bench"
fi
BENCH=$GYRE_BENCH

WORK=$(mktemp -d /tmp/gyre-slurm-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
for cmd in sbatch squeue sacct scancel; do
  real=$(command -v "$cmd")
  cat > "$WORK/bin/$cmd" <<WRAP
#!/bin/bash
echo $cmd >> "\$SCHED_COUNT_FILE"
exec $real "\$@"
WRAP
  chmod +x "$WORK/bin/$cmd"
done
count() { grep -cx "$2" "$1" 2>/dev/null || true; }

# --- Gyre
export SCHED_COUNT_FILE="$WORK/gyre.calls"; : > "$SCHED_COUNT_FILE"
PATH="$WORK/bin:$PATH" "$BENCH" slurm --tasks "$TASKS" --poll "$POLL" --dir "$WORK/gyre" | tee "$WORK/gyre.out"
GYRE_WALL=$(sed -n 's/^WALL=//p' "$WORK/gyre.out")

# --- dpdispatcher
export SCHED_COUNT_FILE="$WORK/dpd.calls"; : > "$SCHED_COUNT_FILE"
mkdir -p "$WORK/dpd"
PATH="$WORK/bin:$PATH" "$PYTHON" - "$WORK/dpd" "$TASKS" "$POLL" <<'PY' | tee "$WORK/dpd.out"
import os, sys, time, logging
from dpdispatcher import Machine, Resources, Task, Submission
work, n, poll = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
logging.getLogger("dpdispatcher").setLevel(logging.WARNING)
for i in range(n):
    os.makedirs(os.path.join(work, f"task.{i:04d}"), exist_ok=True)
machine = Machine(batch_type="Slurm", context_type="LazyLocalContext", local_root=work)
resources = Resources(number_node=1, cpu_per_node=1, gpu_per_node=0, queue_name="debug", group_size=1)
tasks = [Task(command="true", task_work_path=f"task.{i:04d}/", forward_files=[], backward_files=[]) for i in range(n)]
submission = Submission(work_base="./", machine=machine, resources=resources, task_list=tasks)
start = time.monotonic()
submission.run_submission(check_interval=max(1, round(poll)))
wall = time.monotonic() - start
print(f"dpdispatcher: {n} tasks in {wall:.1f} s")
print(f"WALL={wall:.2f}")
PY
DPD_WALL=$(sed -n 's/^WALL=//p' "$WORK/dpd.out")

g_sb=$(count "$WORK/gyre.calls" sbatch); g_sq=$(count "$WORK/gyre.calls" squeue); g_sa=$(count "$WORK/gyre.calls" sacct)
d_sb=$(count "$WORK/dpd.calls" sbatch); d_sq=$(count "$WORK/dpd.calls" squeue); d_sa=$(count "$WORK/dpd.calls" sacct)
echo
printf '%-14s %10s %8s %8s %8s %8s\n' "" "wall s" sbatch squeue sacct total
printf '%-14s %10s %8s %8s %8s %8s\n' gyre "$GYRE_WALL" "$g_sb" "$g_sq" "$g_sa" $((g_sb + g_sq + g_sa))
printf '%-14s %10s %8s %8s %8s %8s\n' dpdispatcher "$DPD_WALL" "$d_sb" "$d_sq" "$d_sa" $((d_sb + d_sq + d_sa))
python3 -c "
g, d = $((g_sb + g_sq + g_sa)), $((d_sb + d_sq + d_sa))
print(f'scheduler calls: dpdispatcher / gyre = {d / max(g, 1):.1f}x')
print(f'wall time: dpdispatcher / gyre = {$DPD_WALL / $GYRE_WALL:.2f}x')
"
