"""DP-GEN's selection on the benchmark's model_devi.out files, timed.

Usage: selection_dpgen.py ROOT F_LO F_HI BUDGET

ROOT holds task.SSS.TTTTTT/model_devi.out directories (written by
`gyre-bench selection`). For each system SSS this does what DP-GEN's make_fp
does before writing inputs: _select_by_model_devi_standard over the system's
tasks (np.loadtxt, classify every row), then shuffle the candidates and keep
fp_task_max of them. Prints one JSON line: seconds (excluding the import of
dpgen), and the accurate / candidate / failed / picked totals.
"""

import json
import os
import random
import sys
import time
from collections import defaultdict

from dpgen.generator.run import _select_by_model_devi_standard


def main():
    root, f_lo, f_hi, budget = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    tasks = sorted(os.path.join(root, d) for d in os.listdir(root) if d.startswith("task."))
    by_system = defaultdict(list)
    for t in tasks:
        by_system[os.path.basename(t).split(".")[1]].append(t)
    totals = {"accurate": 0, "candidate": 0, "failed": 0, "picked": 0}
    start = time.perf_counter()
    for ss in sorted(by_system):
        # DP-GEN's defaults when no virial window is set: v_trust_lo = v_trust_hi = 1e10.
        _, candidates, _, counter = _select_by_model_devi_standard(
            by_system[ss], f_lo, f_hi, 1e10, 1e10, None, "lammps", model_devi_skip=0
        )
        random.shuffle(candidates)
        picked = sorted(candidates[: min(budget, len(candidates))])
        for k in ("accurate", "candidate", "failed"):
            totals[k] += int(counter[k])
        totals["picked"] += len(picked)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, **totals}))


if __name__ == "__main__":
    main()
