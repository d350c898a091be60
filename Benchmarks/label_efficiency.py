#!/usr/bin/env python3
"""Label efficiency of the selection strategies (issue 6, "Label efficiency measured").

For strategy in random, highest, diverse and for each seed, runs
Workflows/quickstart.yaml (fcc Cu, EMT labels, built-in ensemble, built-in MD)
with only `seed`, `strategy` and `workdir` changed, then records:

  - labels: the 16 initial frames + the sum of `labelled` over the iterations
    (= frames in <workdir>/data/*.extxyz, checked),
  - iterations (exploration iterations, the final retrain not counted),
  - whether every stage converged,
  - the final ensemble's (mean prediction) energy and force RMSE on fresh EMT
    frames of the 108-atom cell at 600 K and at 1400 K, generated once with
    fixed seeds by `gyre engine md --potential emt` and labelled by
    `gyre engine label --potential emt`; evaluated by `gyre-bench evaluate`.

Needs release builds of gyre and gyre-bench:
  swift build -c release --scratch-path .build-study --product gyre
  swift build -c release --scratch-path .build-study --product gyre-bench
Usage:
  .venv/bin/python Benchmarks/label_efficiency.py [--seeds 1 2 3 4 5] [--out /tmp/gyre-label-efficiency]
Runs already finished in --out are reused (delete the directory to start over).
"""
import argparse
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRATEGIES = ["random", "highest", "diverse"]
INITIAL_LABELS = 16  # quickstart data.generate.count


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def fcc_cu_108(path):
    a, n = 3.61, 3
    basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
    pos = [((x + bx) * a, (y + by) * a, (z + bz) * a)
           for x in range(n) for y in range(n) for z in range(n) for bx, by, bz in basis]
    L = n * a
    lines = [str(len(pos)),
             f'Lattice="{L} 0 0 0 {L} 0 0 0 {L}" Properties=species:S:1:pos:R:3 pbc="T T T"']
    lines += [f"Cu {x:.10f} {y:.10f} {z:.10f}" for x, y, z in pos]
    path.write_text("\n".join(lines) + "\n")


def read_extxyz_count(path):
    count, lines = 0, path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        n = int(lines[i])
        count += 1
        i += n + 2
    return count


def reference_set(gyre, out, temperature, seed, frames, equilibrate=10, every=20):
    """`frames` EMT frames of 108-atom Cu from NVT MD at `temperature`, after
    `equilibrate` discarded samples, one every `every` steps (0.04 ps)."""
    target = out / f"ref_{temperature}K.extxyz"
    if target.exists():
        return target
    md = out / f"ref_{temperature}K_md"
    start = out / "start.extxyz"
    if not start.exists():
        fcc_cu_108(start)
    steps = (equilibrate + frames) * every
    sh([gyre, "engine", "md", "--potential", "emt", "--input", str(start), "--ensemble", "nvt",
        "--temperature", str(temperature), "--steps", str(steps), "--timestep", "0.002",
        "--sample-every", str(every), "--seed", str(seed), "--output-dir", str(md)])
    # Keep the last `frames` samples, then label them afresh with EMT.
    text = (md / "traj.extxyz").read_text().splitlines()
    blocks, i = [], 0
    while i < len(text):
        if not text[i].strip():
            i += 1
            continue
        n = int(text[i])
        blocks.append(text[i:i + n + 2])
        i += n + 2
    kept = blocks[-frames:]
    assert len(kept) == frames, f"reference MD gave {len(blocks)} samples, need {frames}"
    unlabelled = out / f"ref_{temperature}K_frames.extxyz"
    unlabelled.write_text("\n".join(line for b in kept for line in b) + "\n")
    sh([gyre, "engine", "label", "--potential", "emt", "--input", str(unlabelled), "--output", str(target)])
    return target


def workflow_for(strategy, seed, workdir):
    text = (ROOT / "Workflows" / "quickstart.yaml").read_text()
    text, n1 = re.subn(r"(?m)^seed: .*$", f"seed: {seed}", text)
    text, n2 = re.subn(r"(?m)^(\s+strategy:) \w+", rf"\1 {strategy}", text)
    text, n3 = re.subn(r"(?m)^workdir: .*$", f"workdir: {workdir}", text)
    assert (n1, n2, n3) == (1, 1, 1), "quickstart.yaml changed shape"
    return text


def one_run(gyre, bench, out, strategy, seed, refs):
    run_dir = out / f"{strategy}-seed{seed}"
    result_file = run_dir / "result.json"
    if result_file.exists():
        return json.loads(result_file.read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    workdir = run_dir / "work"
    wf = run_dir / "workflow.yaml"
    wf.write_text(workflow_for(strategy, seed, workdir))
    t0 = time.time()
    proc = subprocess.run([gyre, "run", str(wf)], text=True, capture_output=True)
    wall = time.time() - t0
    (run_dir / "gyre-run.log").write_text(proc.stdout + proc.stderr)

    db = sqlite3.connect(workdir / "gyre.sqlite")
    rows = db.execute('select "index", stage_name, state, summary from iteration order by "index"').fetchall()
    db.close()
    iterations = [json.loads(s) | {"index": i, "stage": st} for i, st, state, s in rows if i >= 0 and s]
    final_done = any(st == "final" and state == "done" for _, st, state, _ in rows)
    labelled = sum(it["labelled"] for it in iterations)
    labels = INITIAL_LABELS + labelled
    on_disk = sum(read_extxyz_count(p) for p in (workdir / "data").glob("*.extxyz"))
    assert on_disk == labels, f"{run_dir}: {on_disk} frames in data/ but journal says {labels}"

    if final_done:
        model_dir = workdir / "models" / "final"
    else:  # not converged: the last trained ensemble (without the last labels)
        model_dir = workdir / f"iter.{iterations[-1]['index']:03d}" / "train"
    models = sorted(model_dir.glob("model.*/model.json"))
    cmd = [bench, "evaluate"] + [a for m in models for a in ("--model", str(m))]
    cmd += [a for r in refs.values() for a in ("--frames", str(r))]
    evals = [json.loads(line) for line in sh(cmd).stdout.splitlines() if line.startswith("{")]
    errors = {}
    for name, r in refs.items():
        e = next(x for x in evals if x["frames"] == str(r))
        errors[name] = {"force": e["force_rmse"], "energy_mev": 1000 * e["energy_rmse_per_atom"]}
    result = {
        "strategy": strategy, "seed": seed, "labels": labels, "iterations": len(iterations),
        "converged": final_done, "exit_status": proc.returncode, "wall_seconds": wall,
        "per_iteration": [{k: it[k] for k in ("index", "stage", "sampled", "accurate", "candidate", "failed",
                                                "picked", "labelled", "converged")} for it in iterations],
        "models": str(model_dir), "errors": errors,
    }
    result_file.write_text(json.dumps(result, indent=1))
    return result


def mean_std(xs):
    m = sum(xs) / len(xs)
    s = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return m, s


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    p.add_argument("--strategies", nargs="+", default=STRATEGIES)
    p.add_argument("--out", type=Path, default=Path("/tmp/gyre-label-efficiency"))
    p.add_argument("--build", type=Path, default=ROOT / ".build-study" / "release",
                   help="directory holding release gyre and gyre-bench")
    p.add_argument("--frames", type=int, default=50, help="fresh reference frames per temperature")
    args = p.parse_args()
    gyre, bench = str(args.build / "gyre"), str(args.build / "gyre-bench")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    refs = {"600K": reference_set(gyre, out, 600, 6001, args.frames),
            "1400K": reference_set(gyre, out, 1400, 14001, args.frames)}
    results = []
    for strategy in args.strategies:
        for seed in args.seeds:
            r = one_run(gyre, bench, out, strategy, seed, refs)
            results.append(r)
            print(f"{strategy:8s} seed {seed}: {r['labels']:4d} labels, {r['iterations']:2d} iterations, "
                  f"converged {'yes' if r['converged'] else 'NO '}, "
                  f"F600 {r['errors']['600K']['force']:.4f} eV/Å, E600 {r['errors']['600K']['energy_mev']:.2f} meV/atom, "
                  f"F1400 {r['errors']['1400K']['force']:.4f} eV/Å, E1400 {r['errors']['1400K']['energy_mev']:.2f} meV/atom, "
                  f"{r['wall_seconds']:.0f} s", flush=True)

    print()
    print(f"Means ± sample std over seeds {args.seeds}; RMSE of the final ensemble's mean prediction "
          f"on {args.frames} fresh EMT frames (108 atoms) per temperature.")
    header = ("| strategy | converged | labels | iterations | F RMSE 600 K (eV/Å) | E RMSE 600 K (meV/atom) "
              "| F RMSE 1400 K (eV/Å) | E RMSE 1400 K (meV/atom) |")
    print(header)
    print("|" + "---|" * 8)
    means = {}
    for strategy in args.strategies:
        rs = [r for r in results if r["strategy"] == strategy]
        cols = {k: mean_std([f(r) for r in rs]) for k, f in {
            "labels": lambda r: r["labels"], "iterations": lambda r: r["iterations"],
            "f600": lambda r: r["errors"]["600K"]["force"], "e600": lambda r: r["errors"]["600K"]["energy_mev"],
            "f1400": lambda r: r["errors"]["1400K"]["force"], "e1400": lambda r: r["errors"]["1400K"]["energy_mev"],
        }.items()}
        means[strategy] = cols
        conv = sum(r["converged"] for r in rs)
        print(f"| {strategy} | {conv}/{len(rs)} | {cols['labels'][0]:.1f} ± {cols['labels'][1]:.1f} "
              f"| {cols['iterations'][0]:.1f} ± {cols['iterations'][1]:.1f} "
              f"| {cols['f600'][0]:.4f} ± {cols['f600'][1]:.4f} | {cols['e600'][0]:.2f} ± {cols['e600'][1]:.2f} "
              f"| {cols['f1400'][0]:.4f} ± {cols['f1400'][1]:.4f} | {cols['e1400'][0]:.2f} ± {cols['e1400'][1]:.2f} |")
    if "random" in means and "diverse" in means:
        ratio = means["diverse"]["labels"][0] / means["random"]["labels"][0]
        print(f"\nlabels diverse / random = {ratio:.3f} ({100 * (1 - ratio):+.1f} % fewer labels; goal ≥ 30 % fewer)")
        for k, name in (("f600", "force RMSE 600 K"), ("f1400", "force RMSE 1400 K")):
            print(f"{name} diverse / random = {means['diverse'][k][0] / means['random'][k][0]:.3f}")
    (out / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.exit(main())
