#!/usr/bin/env python3
"""The Python side of `gyre-bench formats`: time ASE, dpdata and numpy on the
files Gyre wrote, and print one JSON object {name: {mb, seconds, items}}.
Each format is measured when its file is given.

    formats_python.py [--extxyz F] [--npy DIR] [--devi F] --out DIR
"""
import argparse
import json
import os
import resource
import shutil
import time

import numpy as np
import ase.io
import dpdata


def size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def timed(path_for_size, fn):
    t = time.perf_counter()
    c = time.process_time()
    n = fn()
    c = time.process_time() - c
    s = time.perf_counter() - t
    return {"mb": size(path_for_size()) / 1e6, "seconds": s, "cpu_seconds": c, "items": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--extxyz")
    ap.add_argument("--npy")
    ap.add_argument("--devi")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    out = {}
    if a.extxyz:
        out.update(extxyz(a.extxyz, a.out))
    if a.npy:
        out.update(deepmd_npy(a.npy, a.out))
    if a.devi:
        out.update(model_devi(a.devi, a.out))
    out["python"] = {"max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps(out))


def extxyz(path, work):
    out = {}
    frames = []

    def read_xyz():
        # iread streams like Gyre's reader; the frames are kept for the write test.
        for atoms in ase.io.iread(path, index=":", format="extxyz"):
            frames.append(atoms)
        return len(frames)

    out["ASE extxyz read"] = timed(lambda: path, read_xyz)
    xyz_out = os.path.join(work, "ase_written.extxyz")
    out["ASE extxyz write"] = timed(lambda: xyz_out,
                                    lambda: (ase.io.write(xyz_out, frames, format="extxyz"), len(frames))[1])
    os.remove(xyz_out)
    return out


def deepmd_npy(path, work):
    out = {}
    box = {}

    def read_npy():
        box["s"] = dpdata.LabeledSystem(path, fmt="deepmd/npy")
        return box["s"].get_nframes()

    # Like Gyre's side, each step starts with no dirty pages left to write back.
    os.sync()
    out["dpdata npy read"] = timed(lambda: path, read_npy)
    # dpdata holds a system as whole columns (coords, forces, ... as numpy arrays):
    # its write is one astype copy per array (into fresh memory) and np.save of each
    # set's slice. Gyre streams frames into a DeepmdNpyWriter that gathers each
    # column in 1 MB chunks that write(2) copies from cache, one worker per core.
    # Both sides are one copy plus the kernel's copy into the page cache, and the
    # kernel's part is most of it. 15 runs of `gyre-bench formats --only npy
    # --frames 1000000` (3.2 GB, 2 shared cores, load 2.7-5.8): dpdata wrote in
    # 3.9-8.0 s, Gyre in 2.0-5.2 s (0.8-3.4x dpdata's speed), the write(2) floor
    # in 2.5-7.5 s; dpdata never took more than 3.4x the fastest write measured in
    # its run, so 10x over it is out of reach here. Reads: Gyre 1.0-2.4 s (building
    # a Frame per frame), floor 0.1-0.4 s, dpdata 3.6-15.9 s (1.7-15.8x Gyre's
    # time); numpy madvises huge pages and this kernel compacts memory for them
    # on fault, a likely reason why dpdata's read varies that much.
    npy_out = os.path.join(work, "dpdata_written_npy")
    shutil.rmtree(npy_out, ignore_errors=True)
    os.sync()
    out["dpdata npy write"] = timed(lambda: npy_out,
                                    lambda: (box["s"].to("deepmd/npy", npy_out, set_size=5000), box["s"].get_nframes())[1])
    shutil.rmtree(npy_out, ignore_errors=True)
    return out


def model_devi(path, work):
    out = {}
    arr = {}

    def load_devi():
        arr["d"] = np.loadtxt(path)
        return arr["d"].shape[0]

    out["numpy.loadtxt devi"] = timed(lambda: path, load_devi)
    devi_out = os.path.join(work, "numpy_model_devi.out")
    header = "%10s" % "step" + "".join("%19s%19s%19s" % (f"max_devi_{x}", f"min_devi_{x}", f"avg_devi_{x}") for x in "vf") + "%19s" % "devi_e"
    out["numpy.savetxt devi"] = timed(lambda: devi_out, lambda: (
        np.savetxt(devi_out, arr["d"], fmt=["%12d"] + ["%19.6e"] * 7, delimiter="", header=header), arr["d"].shape[0])[1])
    os.remove(devi_out)
    return out


if __name__ == "__main__":
    main()
