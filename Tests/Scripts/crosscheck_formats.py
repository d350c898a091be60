#!/usr/bin/env python3
"""Cross-check Gyre's file formats against ASE and dpdata, both directions.

Usage: crosscheck_formats.py DIR

DIR holds files written by Gyre (gyre.extxyz, POSCAR, gyre.data, gyre_npy/) and
gyre_expected.json: the frames as Gyre reads them back. This script

1. reads Gyre's files with ASE / dpdata and compares them with gyre_expected.json;
2. writes its own files into DIR/python/ with ASE / dpdata (ase.extxyz,
   POSCAR, ase.data, dpdata.lmp, dpdata_npy/) and python_expected.json: the frames
   as ASE / dpdata hold them, in Gyre's conventions (virial W = -stress * V, eV),
   for the Swift test to read back and compare.

Exit status 0 when everything agrees, 1 on a mismatch (each one printed),
3 when ase or dpdata cannot be imported.
"""
import json
import os
import sys

try:
    import numpy as np
    import ase
    import ase.io
    from ase.calculators.singlepoint import SinglePointCalculator
    import dpdata
except ImportError as e:  # the Swift test skips on this
    print(f"missing python package: {e}")
    sys.exit(3)

RTOL = 1e-10
failures = []


def close(a, b, what, atol=0.0):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        failures.append(f"{what}: shape {a.shape} != {b.shape}")
        return
    tol = RTOL * np.maximum(1.0, np.maximum(abs(a), abs(b))) + atol
    bad = abs(a - b) > tol
    if bad.any():
        i = np.argwhere(bad)[0]
        failures.append(f"{what}: {a[tuple(i)]!r} != {b[tuple(i)]!r} at {tuple(i)}")


def check_frame(got, want, what, forces=True, energy=True, virial=True):
    """got: dict with species/positions/cell/energy/forces/virial; want: same from JSON."""
    if list(got["species"]) != list(want["species"]):
        failures.append(f"{what}: species {list(got['species'])} != {want['species']}")
    close(got["positions"], want["positions"], f"{what} positions")
    if want["cell"] is not None:
        close(np.reshape(got["cell"], 9), want["cell"], f"{what} cell")
    if energy and want["energy"] is not None:
        close(got["energy"], want["energy"], f"{what} energy")
    if forces and want["forces"] is not None:
        close(got["forces"], want["forces"], f"{what} forces")
    if virial and want["virial"] is not None:
        close(np.reshape(got["virial"], 9), want["virial"], f"{what} virial")


def from_atoms(atoms):
    calc = atoms.calc
    res = calc.results if calc is not None else {}
    virial = atoms.info.get("virial")
    return {
        "species": atoms.get_chemical_symbols(),
        "positions": atoms.get_positions(),
        "cell": atoms.cell.array,
        "energy": res.get("energy"),
        "forces": res.get("forces"),
        "virial": None if virial is None else np.reshape(virial, 9),
    }


def from_dpdata(system, i):
    names = system["atom_names"]
    d = {
        "species": [names[t] for t in system["atom_types"]],
        "positions": system["coords"][i],
        "cell": system["cells"][i],
        "energy": None, "forces": None, "virial": None,
    }
    if "energies" in system.data:
        d["energy"] = system["energies"][i]
        d["forces"] = system["forces"][i]
    if "virials" in system.data:
        d["virial"] = system["virials"][i]
    return d


def check_gyre_files(d):
    with open(os.path.join(d, "gyre_expected.json")) as f:
        want = json.load(f)
    # extxyz through ASE: energy and forces land in the calculator, virial stays in
    # info as a 3x3 array (ASE stores the 9 numbers of virial/stress column-major).
    frames = ase.io.read(os.path.join(d, "gyre.extxyz"), index=":", format="extxyz")
    if len(frames) != len(want["extxyz"]):
        failures.append(f"extxyz: ASE read {len(frames)} frames, Gyre {len(want['extxyz'])}")
    for k, (a, w) in enumerate(zip(frames, want["extxyz"])):
        check_frame(from_atoms(a), w, f"ASE reading gyre.extxyz frame {k}")
        if w["cell"] is not None and list(a.pbc) != [True, True, True]:
            failures.append(f"extxyz frame {k}: pbc {a.pbc}")
    # POSCAR through ASE.
    a = ase.io.read(os.path.join(d, "POSCAR"), format="vasp")
    check_frame(from_atoms(a), want["poscar"][0], "ASE reading POSCAR", forces=False, energy=False, virial=False)
    # LAMMPS data through ASE and dpdata.
    tm = want["type_map"]
    a = ase.io.read(os.path.join(d, "gyre.data"), format="lammps-data", atom_style="atomic",
                    Z_of_type={i + 1: ase.data.atomic_numbers[s] for i, s in enumerate(tm)}, units="metal")
    check_frame(from_atoms(a), want["lammps_data"][0], "ASE reading gyre.data", forces=False, energy=False, virial=False)
    s = dpdata.System(os.path.join(d, "gyre.data"), fmt="lammps/lmp", type_map=tm)
    g = from_dpdata(s, 0)
    w = want["lammps_data"][0]
    check_frame(g, w, "dpdata reading gyre.data", forces=False, energy=False, virial=False)
    # deepmd/npy through dpdata (virial.npy is W = -sigma V in eV on both sides).
    s = dpdata.LabeledSystem(os.path.join(d, "gyre_npy"), fmt="deepmd/npy")
    if s.get_nframes() != len(want["deepmd"]):
        failures.append(f"deepmd: dpdata read {s.get_nframes()} frames, Gyre {len(want['deepmd'])}")
    for k, w in enumerate(want["deepmd"]):
        check_frame(from_dpdata(s, k), w, f"dpdata reading gyre_npy frame {k}")


def restricted_cell(rng):
    """A lower-triangular (LAMMPS restricted) triclinic cell with awkward digits."""
    return np.array([[4.1 + rng.random() * 0.1, 0, 0],
                     [0.7 + rng.random() * 0.1, 3.9 + rng.random() * 0.1, 0],
                     [-0.3 + rng.random() * 0.1, 0.45 + rng.random() * 0.1, 5.2 + rng.random() * 0.1]])


def frame_json(species, positions, cell, energy=None, forces=None, virial=None):
    f = lambda x: None if x is None else np.asarray(x, dtype=float).reshape(-1).tolist()
    return {
        "species": list(species),
        "positions": np.asarray(positions, dtype=float).tolist(),
        "cell": f(cell),
        "energy": None if energy is None else float(energy),
        "forces": None if forces is None else np.asarray(forces, dtype=float).tolist(),
        "virial": f(virial),
    }


def write_python_files(d):
    out = os.path.join(d, "python")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2026)
    species = ["Cu", "Cu", "Cu", "Au", "Au"]
    want = {}

    # extxyz with ASE: a general (rotated) cell, stress in eV/A^3 through the calculator.
    frames = []
    for k in range(3):
        cell = restricted_cell(rng) @ np.array([[0.8, 0.6, 0], [-0.6, 0.8, 0], [0, 0, 1]])
        pos = rng.random((5, 3)) @ cell
        a = ase.Atoms(species, positions=pos, cell=cell, pbc=True)
        a.calc = SinglePointCalculator(a, energy=-3.5 * 5 + rng.random(), forces=rng.normal(size=(5, 3)),
                                       stress=rng.normal(size=6) * 1e-2)  # Voigt xx yy zz yz xz xy, eV/A^3
        frames.append(a)
    path = os.path.join(out, "ase.extxyz")
    ase.io.write(path, frames, format="extxyz")
    # ASE prints %16.8f: the file, as ASE reads it back, is what Gyre must match.
    fx = []
    for a in ase.io.read(path, index=":", format="extxyz"):
        s = a.calc.results["stress"]
        sigma = np.array([[s[0], s[5], s[4]], [s[5], s[1], s[3]], [s[4], s[3], s[2]]])
        fx.append(frame_json(a.get_chemical_symbols(), a.positions, a.cell.array, a.calc.results["energy"],
                             a.calc.results["forces"], -sigma * abs(a.get_volume())))
    want["extxyz"] = fx

    # POSCAR with ASE, direct coordinates.
    cell = restricted_cell(rng)
    pos = rng.random((5, 3)) @ cell
    a = ase.Atoms(species, positions=pos, cell=cell, pbc=True)
    ase.io.write(os.path.join(out, "POSCAR"), a, format="vasp", direct=True)
    back = ase.io.read(os.path.join(out, "POSCAR"), format="vasp")
    want["poscar"] = [frame_json(back.get_chemical_symbols(), back.positions, back.cell.array)]

    # LAMMPS data with ASE (restricted cell, so ASE writes positions unrotated).
    type_map = ["Cu", "Au"]
    cell = restricted_cell(rng)
    pos = rng.random((5, 3)) @ cell
    a = ase.Atoms(species, positions=pos, cell=cell, pbc=True)
    ase.io.write(os.path.join(out, "ase.data"), a, format="lammps-data", atom_style="atomic",
                 specorder=type_map, masses=True, units="metal")
    want["lammps_data"] = [frame_json(species, pos, cell)]
    want["type_map"] = type_map

    # LAMMPS data with dpdata (%15.10f: compared at 1e-9 absolute).
    cell = restricted_cell(rng)
    pos = rng.random((5, 3)) @ cell
    sysd = dpdata.System(data={
        "atom_names": type_map, "atom_numbs": [3, 2], "atom_types": np.array([0, 0, 0, 1, 1]),
        "orig": np.zeros(3), "cells": cell[None], "coords": pos[None]})
    sysd.to("lammps/lmp", os.path.join(out, "dpdata.lmp"))
    want["dpdata_lmp"] = [frame_json(species, pos, cell)]

    # deepmd/npy with dpdata: 4 labelled frames.
    n = 4
    cells = np.stack([restricted_cell(rng) for _ in range(n)])
    coords = np.einsum("fij,fjk->fik", rng.random((n, 5, 3)), cells)
    energies = rng.random(n) - 10
    forces = rng.normal(size=(n, 5, 3))
    virials = rng.normal(size=(n, 3, 3))
    lab = dpdata.LabeledSystem(data={
        "atom_names": type_map, "atom_numbs": [3, 2], "atom_types": np.array([0, 0, 0, 1, 1]),
        "orig": np.zeros(3), "cells": cells, "coords": coords, "energies": energies,
        "forces": forces, "virials": virials})
    lab.to("deepmd/npy", os.path.join(out, "dpdata_npy"))
    want["deepmd"] = [frame_json(species, coords[i], cells[i], energies[i], forces[i], virials[i]) for i in range(n)]

    with open(os.path.join(out, "python_expected.json"), "w") as f:
        json.dump(want, f)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    d = sys.argv[1]
    check_gyre_files(d)
    write_python_files(d)
    print(f"ase {ase.__version__}, dpdata {dpdata.__version__}, numpy {np.__version__}")
    if failures:
        for f in failures:
            print("MISMATCH", f)
        sys.exit(1)
    print("OK: ASE and dpdata read Gyre's files identically")


if __name__ == "__main__":
    main()
