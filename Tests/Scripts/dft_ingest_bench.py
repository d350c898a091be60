#!/usr/bin/env python3
"""Time dpdata reading many label outputs, for Gyre's ingest benchmark.

usage: dft_ingest_bench.py FORMAT ROOT [REPEATS]
  ROOT holds task directories; qe/pw/scf reads task/pw.in + task/pw.out,
  vasp/outcar reads task/OUTCAR. Prints `<seconds> <frames>`: the best of
  REPEATS passes (default 1), as `gyre-bench ingest` reports Gyre's.
"""
import os
import sys
import time

import dpdata


def main():
    fmt, root = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    tasks = sorted(os.path.join(root, d) for d in os.listdir(root))
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        frames = 0
        for task in tasks:
            if fmt == "qe/pw/scf":
                source = [os.path.join(task, "pw.in"), os.path.join(task, "pw.out")]
            else:
                source = os.path.join(task, "OUTCAR")
            frames += dpdata.LabeledSystem(source, fmt=fmt).get_nframes()
        best = min(best, time.perf_counter() - start)
    print(f"{best:.6f} {frames}")


if __name__ == "__main__":
    main()
