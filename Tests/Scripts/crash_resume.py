#!/usr/bin/env python3
"""Crash test of `gyre run`: the same workflow run once uninterrupted and once
killed with SIGKILL at many random moments (resumed after each kill) must end
with byte-identical data and final models, and no task may complete twice.

usage: crash_resume.py GYRE WORKFLOW [--kills N] [--seed S] [--keep DIR]
Exit status 0 when every check passes; 1 with the failed checks printed.
"""
import argparse, glob, os, random, re, shutil, signal, sqlite3, subprocess, sys, tempfile, time


def copy_workflow(src, dst_dir, workdir):
    text = open(src).read()
    text = re.sub(r"^workdir:.*$", f"workdir: {workdir}", text, flags=re.M)
    if "workdir:" not in text:
        text += f"\nworkdir: {workdir}\n"
    path = os.path.join(dst_dir, os.path.basename(src))
    open(path, "w").write(text)
    return path


def run(gyre, workflow, log):
    return subprocess.Popen([gyre, "run", workflow], stdout=log, stderr=subprocess.STDOUT, start_new_session=False)


def step_now(workdir):
    db = os.path.join(workdir, "gyre.sqlite")
    if not os.path.exists(db):
        return "before journal"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        row = con.execute(
            "SELECT i.\"index\", s.kind FROM step s JOIN iteration i ON s.iteration_id = i.id ORDER BY s.id DESC LIMIT 1"
        ).fetchone()
        con.close()
        return f"iteration {row[0]} {row[1]}" if row else "journal, no step"
    except sqlite3.Error as e:
        return f"journal busy ({e})"


def outputs(workdir):
    files = sorted(glob.glob(os.path.join(workdir, "data", "*.extxyz")))
    files += sorted(glob.glob(os.path.join(workdir, "models", "final", "*", "model.json")))
    return {os.path.relpath(f, workdir): open(f, "rb").read() for f in files}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gyre")
    ap.add_argument("workflow")
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = args.keep or tempfile.mkdtemp(prefix="gyre-crash-")
    os.makedirs(tmp, exist_ok=True)
    clean_dir, crash_dir = os.path.join(tmp, "clean"), os.path.join(tmp, "crashed")
    for d in (clean_dir, crash_dir):
        shutil.rmtree(d, ignore_errors=True)
    wf_clean = copy_workflow(args.workflow, tmp, clean_dir)
    os.makedirs(os.path.join(tmp, "b"), exist_ok=True)
    wf_crash = copy_workflow(args.workflow, os.path.join(tmp, "b"), crash_dir)

    t0 = time.time()
    with open(os.path.join(tmp, "clean.log"), "w") as log:
        clean_status = run(args.gyre, wf_clean, log).wait()
    total = time.time() - t0
    print(f"uninterrupted run: exit {clean_status}, {total:.1f} s")

    kills = []
    with open(os.path.join(tmp, "crashed.log"), "w") as log:
        while len(kills) < args.kills:
            p = run(args.gyre, wf_crash, log)
            delay = rng.uniform(0.1, max(0.3, total / args.kills * 1.5))
            try:
                p.wait(timeout=delay)
                break  # it finished before the kill: the remaining kills are not needed
            except subprocess.TimeoutExpired:
                where = step_now(crash_dir)
                p.send_signal(signal.SIGKILL)
                p.wait()
                kills.append((round(delay, 2), where))
                print(f"kill {len(kills)} after {delay:.2f} s, during {where}")
        final_status = run(args.gyre, wf_crash, log).wait()
    print(f"resumed run: exit {final_status} after {len(kills)} kills")

    problems = []
    if final_status != clean_status:
        problems.append(f"exit status {final_status} differs from the uninterrupted run's {clean_status}")
    a, b = outputs(clean_dir), outputs(crash_dir)
    if not a:
        problems.append("the uninterrupted run produced no data or models")
    if sorted(a) != sorted(b):
        problems.append(f"different output files: {sorted(set(a) ^ set(b))}")
    for name in sorted(set(a) & set(b)):
        if a[name] != b[name]:
            problems.append(f"{name} differs")
    con = sqlite3.connect(os.path.join(crash_dir, "gyre.sqlite"))
    twice = con.execute(
        "SELECT task_id, COUNT(*) FROM task_event WHERE to_state = 'done' GROUP BY task_id HAVING COUNT(*) > 1"
    ).fetchall()
    if twice:
        problems.append(f"tasks completed twice: {twice}")
    rerun_after_done = con.execute(
        """SELECT e2.task_id FROM task_event e1 JOIN task_event e2 ON e1.task_id = e2.task_id
           WHERE e1.to_state = 'done' AND e2.id > e1.id"""
    ).fetchall()
    if rerun_after_done:
        problems.append(f"tasks touched after done: {rerun_after_done}")
    label_tasks = con.execute(
        """SELECT COUNT(*) FROM task t JOIN step s ON t.step_id = s.id WHERE s.kind = 'label' AND t.state = 'done'"""
    ).fetchone()[0]
    con.close()
    print(f"compared {len(a)} files; {label_tasks} label tasks done once each")
    if len(kills) < args.kills:
        print(f"note: the run finished after {len(kills)} kills (fewer than {args.kills} asked)")
    for p in problems:
        print("FAILED:", p)
    print("crash test:", "FAILED" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
