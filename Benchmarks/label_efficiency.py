#!/usr/bin/env python3
"""Label efficiency of the selection strategies under a tight label budget (issue 6).

The quickstart class of problem (fcc Cu, EMT labels standing in for DFT, the
built-in ensemble, built-in NVT MD), set up so that the strategy decides every
label: each iteration samples far more candidates than the budget, every run
does the same number of iterations, and no stage can converge early.

Two problems (--problem): `bulk` explores the quickstart's 108-atom cell alone;
`mixed` explores that cell, the same cell with a vacancy and a 6-layer (100)
slab together (initial data bulk only), so labels of one system teach the
others little and the error keeps falling over several budgets.

For each strategy (random, highest, diverse) and seed, one `gyre run` of the
workflow in `workflow_for` below; then every iteration's ensemble (trained on
the initial frames plus the labels of the iterations before it) is evaluated
on fresh EMT frames at 600 K of every explored system, which no run sees
(--frames per system; the error over all of them weights every force
component equally). That gives a force-RMSE-versus-labels curve per run, from which:

  - labels to target: the fewest labels at which the run's ensemble reaches
    force RMSE <= --target (eV/Å) on the 600 K frames,
  - RMSE at equal labels: the curves compared at the same label counts (every
    iteration labels exactly --budget frames, checked),
  - per system (mixed): the final error and how many labels each system got.

Needs release builds of gyre and gyre-bench:
  swift build -c release --scratch-path .build-label --product gyre
  swift build -c release --scratch-path .build-label --product gyre-bench
Usage (defaults: the 108-atom bulk setup; docs/selection.md gives the
commands of every setup it reports):
  .venv/bin/python Benchmarks/label_efficiency.py --build .build-label/release \\
      [--problem bulk|mixed] [--seeds 1 2 3 4 5] [--out /tmp/gyre-label-efficiency-budget]
Runs already finished in --out are reused (delete the directory to start over);
a run is identified by strategy, seed and the workflow parameters.
"""
import argparse
import hashlib
import json
import random
import math
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = ["random", "highest", "diverse"]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def fcc(a, repeat, vacuum=0.0, vacancy=False, minority=None):
    """An fcc Cu cell: the conventional cell repeated n×n×n. `vacuum` Å added
    along z makes a (100) slab with two free surfaces; `vacancy` removes atom 0;
    `minority` = (element, count) puts that many atoms of the element on sites
    drawn with a fixed seed (a random substitutional alloy)."""
    n = repeat
    basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
    pos = [((x + bx) * a, (y + by) * a, (z + bz) * a + vacuum / 2)
           for x in range(n) for y in range(n) for z in range(n) for bx, by, bz in basis]
    if vacancy:
        pos = pos[1:]
    species = ["Cu"] * len(pos)
    if minority:
        element, count = minority
        for i in random.Random(f"{element}{count}").sample(range(len(pos)), count):
            species[i] = element
    return n * a, n * a + vacuum, list(zip(species, pos))


def write_cell(path, cell):
    L, Lz, atoms = cell
    lines = [str(len(atoms)),
             f'Lattice="{L} 0 0 0 {L} 0 0 0 {Lz}" Properties=species:S:1:pos:R:3 pbc="T T T"']
    lines += [f"{e} {x:.10f} {y:.10f} {z:.10f}" for e, (x, y, z) in atoms]
    path.write_text("\n".join(lines) + "\n")


# The explored systems of each problem, with its elements and initial data.
# `bulk`: the quickstart's 108-atom cell alone. `mixed`: that cell, the same
# cell with a vacancy, and a 6-layer (100) slab with 10 Å of vacuum, so the
# environments a label can teach differ between systems (the initial data are
# bulk only). `alloy`: random fcc Cu–Au alloys with 25, 50 and 75 % Au at
# Vegard's-law lattice constants (two elements: twice the model's features),
# initial data from the 50 % alloy.
def vegard(au):
    return 3.61 + (4.08 - 3.61) * au


PROBLEMS = {
    "bulk": {"elements": ["Cu"], "initial": {"a": 3.61},
             "systems": {"bulk": lambda n: fcc(3.61, n)}},
    "mixed": {"elements": ["Cu"], "initial": {"a": 3.61},
              "systems": {"bulk": lambda n: fcc(3.61, n),
                          "vacancy": lambda n: fcc(3.61, n, vacancy=True),
                          "slab": lambda n: fcc(3.61, n, vacuum=10.0)}},
    "alloy": {"elements": ["Cu", "Au"], "initial": {"a": round(vegard(0.5), 4), "composition": "{Cu: 0.5, Au: 0.5}"},
              "systems": {f"au{pct}": (lambda pct: lambda n: fcc(round(vegard(pct / 100), 4), n,
                                                                  minority=("Au", 4 * n ** 3 * pct // 100)))(pct)
                          for pct in (25, 50, 75)}},
}


def extxyz_blocks(path):
    text, blocks, i = path.read_text().splitlines(), [], 0
    while i < len(text):
        if not text[i].strip():
            i += 1
            continue
        n = int(text[i])
        blocks.append(text[i:i + n + 2])
        i += n + 2
    return blocks


def reference_set(gyre, out, system, start, temperature, seed, frames, equilibrate=10, every=20):
    """`frames` EMT frames of `system` (starting structure `start`) from NVT MD
    at `temperature`, after `equilibrate` discarded samples, one every `every`
    steps (0.04 ps)."""
    target = out / f"ref_{system}_{temperature}K_{frames}.extxyz"
    if target.exists():
        return target
    md = out / f"ref_{system}_{temperature}K_md"
    steps = (equilibrate + frames) * every
    sh([gyre, "engine", "md", "--potential", "emt", "--input", str(start), "--ensemble", "nvt",
        "--temperature", str(temperature), "--steps", str(steps), "--timestep", "0.002",
        "--sample-every", str(every), "--seed", str(seed), "--output-dir", str(md)])
    kept = extxyz_blocks(md / "traj.extxyz")[-frames:]
    assert len(kept) == frames, f"reference MD of {system} gave fewer than {frames} samples"
    unlabelled = out / f"ref_{system}_{temperature}K_frames.extxyz"
    unlabelled.write_text("\n".join(line for b in kept for line in b) + "\n")
    sh([gyre, "engine", "label", "--potential", "emt", "--input", str(unlabelled), "--output", str(target)])
    return target


def system_files(out, problem, repeat):
    """The starting structure of each of the problem's systems built from
    repeat×repeat×repeat conventional cells, written once under `out`."""
    files = {}
    for name, build in PROBLEMS[problem]["systems"].items():
        files[name] = out / "systems" / f"{name}_{repeat}.extxyz"
        if not files[name].exists():
            files[name].parent.mkdir(parents=True, exist_ok=True)
            write_cell(files[name], build(repeat))
    return files


def workflow_for(p, strategy, seed, workdir, files):
    temperatures = ", ".join(str(t) for t in p.temperatures)
    # bulk as a lattice (as in the quickstart), the others from their files
    systems = "\n".join(f"  {name}: {{lattice: fcc, a: 3.61, repeat: [{p.repeat}, {p.repeat}, {p.repeat}]}}"
                        if name == "bulk" else f"  {name}: {{path: {files[name]}}}" for name in files)
    problem = PROBLEMS[p.problem]
    initial = problem["initial"]
    mix = f", composition: {initial['composition']}" if "composition" in initial else ""
    skip = f"\n  skip_first: {p.skip_first}" if p.skip_first else ""
    return f"""name: label-efficiency
seed: {seed}
workdir: {workdir}
elements: [{", ".join(problem["elements"])}]
data:
  - generate: {{lattice: fcc, a: {initial["a"]}{mix}, repeat: [{p.repeat}, {p.repeat}, {p.repeat}], rattle: 0.05, strain: 0.02, count: {p.initial}}}
systems:
{systems}
train: {{engine: builtin, models: 4, init_from_previous: false}}
explore:
  engine: builtin
  stages:
    - name: sweep
      systems: [{", ".join(files)}]
      ensemble: nvt
      temperatures: [{temperatures}]
      steps: {p.steps}
      timestep: 0.002
      sample_every: {p.sample_every}
      max_iterations: {p.iterations}
      converged_when: {{accurate: 1.0}}   # never before max_iterations: every run does the same number
select:
  trust: {{lo: {p.lo}, hi: {p.hi}}}
  max_per_iteration: {p.budget}
  strategy: {strategy}{skip}
label: {{engine: builtin, potential: emt}}
executor:
  local: {{slots: 2}}
"""


def evaluate(bench, model_dir, refs):
    """Force RMSE of the ensemble's mean prediction on each system's reference
    frames, and over all of them (every force component weighted equally)."""
    models = sorted(model_dir.glob("model.*/model.json"))
    assert models, f"no models in {model_dir}"
    cmd = [bench, "evaluate"] + [a for m in models for a in ("--model", str(m))]
    cmd += [a for ref, _ in refs.values() for a in ("--frames", str(ref))]
    lines = [json.loads(x) for x in sh(cmd).stdout.splitlines() if x.startswith("{")]
    assert len(lines) == len(refs), f"gyre-bench evaluate gave {len(lines)} results for {len(refs)} frame files"
    per_system = {name: r["force_rmse"] for name, r in zip(refs, lines)}
    atoms = {name: n for name, (_, n) in refs.items()}
    total = math.sqrt(sum(per_system[k] ** 2 * atoms[k] for k in refs) / sum(atoms.values()))
    return total, per_system


def picked_per_system(iteration_dir):
    report = json.loads((iteration_dir / "select" / "report.json").read_text())
    picked = {}
    for c in report["counts"]:
        picked[c["system"]] = picked.get(c["system"], 0) + c["picked"]
    return picked


def one_run(gyre, bench, out, p, strategy, seed, refs, files):
    key = hashlib.sha256(workflow_for(p, "S", 0, "W", files).encode()).hexdigest()[:10]
    run_dir = out / f"{key}-{strategy}-seed{seed}"
    result_file = run_dir / "result.json"
    if result_file.exists():
        return json.loads(result_file.read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    workdir = run_dir / "work"
    wf = run_dir / "workflow.yaml"
    wf.write_text(workflow_for(p, strategy, seed, workdir, files))
    t0 = time.time()
    proc = subprocess.run([gyre, "run", str(wf)], text=True, capture_output=True)
    wall = time.time() - t0
    (run_dir / "gyre-run.log").write_text(proc.stdout + proc.stderr)
    db = sqlite3.connect(workdir / "gyre.sqlite")
    rows = db.execute('select "index", stage_name, state, summary from iteration order by "index"').fetchall()
    # A label whose frame repeats one already in the data set (e.g. a trajectory's
    # unmoved first frame, picked again in a later iteration) is paid for but not
    # added: it counts as a label, and the run's duplicates are reported.
    duplicates = dict(db.execute('select i."index", sum(f.duplicate) from data_frame f join iteration i '
                                 'on i.id = f.iteration_id group by i."index"').fetchall())
    db.close()
    iterations = [json.loads(s) | {"index": i} for i, st, state, s in rows if i >= 0 and st != "final" and s]
    # The stage cannot converge, so gyre stops (exit 1) after max_iterations with no
    # final model; anything else is a failed run.
    if len(iterations) != p.iterations or "did not converge" not in proc.stdout + proc.stderr:
        raise SystemExit(f"{run_dir}: gyre run ended early (exit {proc.returncode}); see gyre-run.log")
    # Iteration k's ensemble was trained on the initial frames and the labels of
    # iterations < k; the last iteration's labels are counted but train no model.
    curve, labels = [], p.initial
    for it in iterations:
        total, per_system = evaluate(bench, workdir / f"iter.{it['index']:03d}" / "train", refs)
        curve.append({"labels": labels, "force_rmse": total, "force_rmse_per_system": per_system})
        labels += it["labelled"]
        it["picked_per_system"] = picked_per_system(workdir / f"iter.{it['index']:03d}")
        it["duplicates"] = duplicates.get(it["index"], 0)
    # Per-iteration files only: data/all.extxyz repeats all of them.
    on_disk = sum(len(extxyz_blocks(f)) for f in (workdir / "data").glob("*.extxyz") if f.name != "all.extxyz")
    repeated = sum(it["duplicates"] for it in iterations)
    assert on_disk + repeated == labels, \
        f"{run_dir}: {on_disk} frames in data/ and {repeated} duplicates, but the journal says {labels} labels"
    result = {
        "strategy": strategy, "seed": seed, "labels": labels, "iterations": len(iterations), "wall_seconds": wall,
        "per_iteration": [{k: it[k] for k in ("index", "sampled", "accurate", "candidate", "failed", "picked",
                                                "labelled", "picked_per_system", "duplicates")}
                          for it in iterations],
        "curve": curve,
    }
    result_file.write_text(json.dumps(result, indent=1))
    return result


def mean_std(xs):
    m = sum(xs) / len(xs)
    s = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return m, s


def labels_to_target(curve, target):
    return next((c["labels"] for c in curve if c["force_rmse"] <= target), None)


def summarise(results, strategies, target, p):
    print(f"\nForce RMSE (eV/Å) of each ensemble's mean prediction on fresh 600 K frames, by labels; "
          f"mean ± sample std over seeds; target {target} eV/Å.")
    counts = sorted({c["labels"] for r in results for c in r["curve"]})
    print("| labels | " + " | ".join(strategies) + " |")
    print("|---|" + "---|" * len(strategies))
    for n in counts:
        cells = []
        for s in strategies:
            xs = [c["force_rmse"] for r in results if r["strategy"] == s for c in r["curve"] if c["labels"] == n]
            cells.append(f"{mean_std(xs)[0]:.4f} ± {mean_std(xs)[1]:.4f} ({len(xs)})" if xs else "–")
        print(f"| {n} | " + " | ".join(cells) + " |")

    print(f"\nLabels to reach force RMSE ≤ {target} eV/Å (a run that never reaches it counts as "
          f"its last evaluated label count + {p.budget}, a lower bound, marked *):")
    print("| strategy | reached | labels (mean ± std) | per seed | candidates per iteration (mean) | duplicate labels per run |")
    print("|---|---|---|---|---|---|")
    means = {}
    for s in strategies:
        rs = sorted((r for r in results if r["strategy"] == s), key=lambda r: r["seed"])
        need = [labels_to_target(r["curve"], target) for r in rs]
        filled = [n if n is not None else r["curve"][-1]["labels"] + p.budget for n, r in zip(need, rs)]
        means[s] = mean_std(filled)
        per_seed = ", ".join(f"{n}" if n is not None else f"{f}*" for n, f in zip(need, filled))
        cand = mean_std([it["candidate"] for r in rs for it in r["per_iteration"]])[0]
        dups = mean_std([sum(it.get("duplicates", 0) for it in r["per_iteration"]) for r in rs])
        print(f"| {s} | {sum(n is not None for n in need)}/{len(rs)} | {means[s][0]:.1f} ± {means[s][1]:.1f} "
              f"| {per_seed} | {cand:.0f} | {dups[0]:.1f} ± {dups[1]:.1f} |")
    if "random" in means and "diverse" in means:
        ratio = means["diverse"][0] / means["random"][0]
        print(f"\nlabels to target, diverse / random = {ratio:.3f} ({100 * (1 - ratio):+.1f} % fewer; goal ≥ 30 % fewer)")
        # How much the verdict hangs on where the target sits (labels come in steps of the budget).
        others = []
        for factor in (0.9, 1.1, 1.25, 1.5):
            t = target * factor
            need = {s: [labels_to_target(r["curve"], t) or r["curve"][-1]["labels"] + p.budget
                        for r in results if r["strategy"] == s] for s in ("random", "diverse")}
            others.append(f"{t:.4g}: {mean_std(need['diverse'])[0] / mean_std(need['random'])[0]:.2f}")
        print("  the same ratio at other targets (eV/Å: ratio): " + ", ".join(others))
    final = max(counts)
    for s in strategies:
        xs = [c["force_rmse"] for r in results if r["strategy"] == s for c in r["curve"] if c["labels"] == final]
        if xs:
            print(f"final ({final} labels) force RMSE {s}: {mean_std(xs)[0]:.4f} ± {mean_std(xs)[1]:.4f} eV/Å")
    systems = list(results[0]["curve"][0]["force_rmse_per_system"])
    if len(systems) > 1:
        print(f"\nPer system: force RMSE at {final} labels (eV/Å), and labels picked over the whole run (mean ± std):")
        print("| strategy | " + " | ".join(f"RMSE {n}" for n in systems) + " | " + " | ".join(f"picked {n}" for n in systems) + " |")
        print("|---|" + "---|" * (2 * len(systems)))
        for s in strategies:
            rs = [r for r in results if r["strategy"] == s]
            errs = [mean_std([c["force_rmse_per_system"][n] for r in rs for c in r["curve"] if c["labels"] == final])
                    for n in systems]
            picks = [mean_std([sum(it["picked_per_system"].get(n, 0) for it in r["per_iteration"]) for r in rs])
                     for n in systems]
            print(f"| {s} | " + " | ".join(f"{m:.4f} ± {d:.4f}" for m, d in errs) + " | "
                  + " | ".join(f"{m:.1f} ± {d:.1f}" for m, d in picks) + " |")


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    a.add_argument("--strategies", nargs="+", default=STRATEGIES)
    a.add_argument("--out", type=Path, default=Path("/tmp/gyre-label-efficiency-budget"))
    a.add_argument("--build", type=Path, default=ROOT / ".build-label" / "release",
                   help="directory holding release gyre and gyre-bench")
    a.add_argument("--problem", choices=sorted(PROBLEMS), default="bulk",
                   help="explored systems: bulk (the 108-atom cell), mixed (bulk, vacancy, (100) slab) or alloy (Cu-Au, 25/50/75 %% Au)")
    a.add_argument("--frames", type=int, default=50, help="fresh 600 K reference frames per system")
    a.add_argument("--target", type=float, default=0.0035, help="force RMSE target, eV/Å")
    a.add_argument("--initial", type=int, default=2, help="initial EMT-labelled frames of the bulk (alloy: 50 %% Au) cell, rattled and strained")
    a.add_argument("--repeat", type=int, default=3, help="explored cells: fcc repeated n×n×n")
    a.add_argument("--test-repeat", type=int, default=3,
                   help="cells of the 600 K test frames (default: the 108-atom ones, also when --repeat is 2)")
    a.add_argument("--temperatures", type=int, nargs="+", default=[300, 600, 900, 1200])
    a.add_argument("--steps", type=int, default=1000)
    a.add_argument("--sample-every", type=int, default=10)
    a.add_argument("--iterations", type=int, default=4, help="exploration iterations (the last one's labels train no model)")
    a.add_argument("--budget", type=int, default=8, help="max_per_iteration")
    a.add_argument("--lo", type=float, default=0.002, help="trust lo, eV/Å (low: candidates always exceed the budget)")
    a.add_argument("--hi", type=float, default=0.5, help="trust hi, eV/Å")
    a.add_argument("--skip-first", type=int, default=0,
                   help="select.skip_first: MD steps ignored at the start of each trajectory (1 drops the unmoved "
                        "starting structure, which is the same frame in every iteration)")
    p = a.parse_args()
    gyre, bench = str(p.build / "gyre"), str(p.build / "gyre-bench")
    out = p.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    files = system_files(out, p.problem, p.repeat)
    # Fresh 600 K frames of every explored system, in --test-repeat cells (the 108-atom bulk set keeps seed 6001).
    refs = {}
    for k, (name, start) in enumerate(system_files(out, p.problem, p.test_repeat).items()):
        ref = reference_set(gyre, out, name, start, 600, 6001 + k, p.frames)
        refs[name] = (ref, sum(len(b) - 2 for b in extxyz_blocks(ref)))
    results = []
    for seed in p.seeds:
        for strategy in p.strategies:
            r = one_run(gyre, bench, out, p, strategy, seed, refs, files)
            for it in r["per_iteration"]:
                assert it["labelled"] == p.budget, f"{strategy} seed {seed} iteration {it['index']} labelled {it['labelled']}"
            results.append(r)
            curve = " ".join(f"{c['labels']}:{c['force_rmse']:.4f}" for c in r["curve"])
            picks = " ".join("/".join(str(it["picked_per_system"].get(n, 0)) for n in files) for it in r["per_iteration"])
            dups = sum(it["duplicates"] for it in r["per_iteration"])
            print(f"{strategy:8s} seed {seed}: {r['wall_seconds']:.0f} s; labels:RMSE {curve}; picked "
                  f"({'/'.join(files)}) {picks}; {dups} duplicates", flush=True)
    summarise(results, p.strategies, p.target, p)
    (out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.exit(main())
