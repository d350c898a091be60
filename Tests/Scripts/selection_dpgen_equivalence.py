"""Runs DP-GEN's own model-deviation classification on generated model_devi.out files.

Usage: selection_dpgen_equivalence.py OUTDIR

Writes task directories OUTDIR/<case>/task.SSS.TTTTTT/model_devi.out (deterministic,
numpy seed 20261129) with rows exactly on the trust bounds, several systems, a
virial window and skip_first, and prints JSON with DP-GEN's accurate / candidate /
failed counts per case and system, computed by
dpgen.generator.run._select_by_model_devi_standard (what `dpgen run` calls in make_fp).

NaN rows make DP-GEN raise; the "nan" case records that error and DP-GEN's counts
on the same file with the NaN rows removed, plus the number of NaN rows, so the
Swift test can check Gyre counts them as failed and agrees on the rest.
The Swift side (SelectionDPGENEquivalenceTests) classifies the same files with Gyre.
"""

import json
import os
import sys
import traceback

import numpy as np

from dpgen.generator.run import _select_by_model_devi_standard

HEADER = "#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f"


def write_model_devi(path, steps, v, f):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write(HEADER + "\n")
        for s, vv, ff in zip(steps, v, f):
            # The DeePMD-kit layout: %12d then %19.6e per column.
            out.write("%12d%19.6e%19.6e%19.6e%19.6e%19.6e%19.6e\n" % (s, vv, vv * 0.5, vv * 0.7, ff, ff * 0.3, ff * 0.6))


def deviations(rng, n, lo, hi, vlo, vhi):
    """Log-normal deviations spanning all three classes, with rows exactly on each bound."""
    f = np.exp(rng.normal(np.log(lo * 1.6), 0.9, n))
    v = np.exp(rng.normal(np.log(vlo * 1.4), 0.9, n))
    exact = rng.choice(n, size=min(n, 24), replace=False)
    bounds_f = [lo, hi, np.nextafter(lo, 0), np.nextafter(hi, 0)]
    bounds_v = [vlo, vhi]
    for k, i in enumerate(exact):
        if k % 3 == 2:
            v[i] = bounds_v[k % 2]
        else:
            f[i] = bounds_f[k % 4]
    return v, f


CASES = [
    # name, f_lo, f_hi, v_lo, v_hi (None: DP-GEN's default 1e10), skip, systems, tasks per system, rows
    ("force_only", 0.05, 0.15, None, None, 0, 3, 3, 400),
    ("virial_window", 0.08, 0.25, 0.02, 0.06, 0, 2, 3, 300),
    ("skip_first", 0.05, 0.20, None, None, 1000, 2, 2, 300),
]


def classify(tasks, f_lo, f_hi, v_lo, v_hi, skip):
    _, _, _, counter = _select_by_model_devi_standard(
        tasks, f_lo, f_hi, v_lo, v_hi, None, "lammps", model_devi_skip=skip
    )
    return {k: int(counter[k]) for k in ("accurate", "candidate", "failed")}


def main():
    root = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(20261129)
    cases = []
    for name, f_lo, f_hi, v_lo, v_hi, skip, nsys, ntask, rows in CASES:
        dv_lo = 1e10 if v_lo is None else v_lo
        dv_hi = 1e10 if v_hi is None else v_hi
        systems = {}
        for s in range(nsys):
            tasks = []
            for t in range(ntask):
                d = os.path.join(root, name, "task.%03d.%06d" % (s, t))
                steps = np.arange(rows) * 10
                v, f = deviations(rng, rows, f_lo, f_hi, v_lo or 0.02, v_hi or 0.06)
                write_model_devi(os.path.join(d, "model_devi.out"), steps, v, f)
                tasks.append(d)
            counts = classify(tasks, f_lo, f_hi, dv_lo, dv_hi, skip)
            systems["%03d" % s] = {"tasks": tasks, **counts}
        cases.append({"name": name, "f_lo": f_lo, "f_hi": f_hi, "v_lo": v_lo, "v_hi": v_hi,
                      "skip": skip, "systems": systems})

    # NaN rows: DP-GEN raises; compare on the same rows without them.
    f_lo, f_hi = 0.05, 0.15
    d = os.path.join(root, "nan", "task.000.000000")
    steps = np.arange(200) * 10
    v, f = deviations(rng, 200, f_lo, f_hi, 0.02, 0.06)
    nan_rows = [5, 77, 150]
    f[nan_rows] = np.nan
    write_model_devi(os.path.join(d, "model_devi.out"), steps, v, f)
    dpgen_error = None
    try:
        classify([d], f_lo, f_hi, 1e10, 1e10, 0)
    except Exception as e:  # DP-GEN's RuntimeError "does not belong to either ..."
        dpgen_error = "%s: %s" % (type(e).__name__, str(e).splitlines()[0])
    clean = os.path.join(root, "nan_removed", "task.000.000000")
    keep = np.isfinite(f)
    write_model_devi(os.path.join(clean, "model_devi.out"), steps[keep], v[keep], f[keep])
    without_nan = classify([clean], f_lo, f_hi, 1e10, 1e10, 0)
    result = {"cases": cases,
              "nan": {"task": d, "f_lo": f_lo, "f_hi": f_hi, "nan_rows": len(nan_rows),
                      "dpgen_error": dpgen_error, "dpgen_without_nan": without_nan}}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
