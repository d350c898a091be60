#!/usr/bin/env python3
"""Print what dpdata reads from a reference code's output, as JSON, so Gyre's
readers can be compared with it on the same files.

usage: dft_dpdata_read.py FORMAT PATH [PATH...]
  FORMAT is a dpdata format (qe/pw/scf, vasp/outcar, cp2k/output,
  abacus/scf, gaussian/log); for qe/pw/scf pass the input then the output.
Prints {"frames": [{"species", "coords", "cell", "energy", "forces", "virial"}]}.
"""
import json
import sys

import dpdata


def main():
    fmt, paths = sys.argv[1], sys.argv[2:]
    source = paths if fmt == "qe/pw/scf" else paths[0]
    # The format's own reader, before LabeledSystem's post-processing
    # (qe/pw/scf rotates the cell to lower-triangular form, which would
    # rotate every vector and hide what was read).
    reader = dpdata.format.Format.get_formats()[fmt]()
    system = reader.from_labeled_system(source)
    names = system["atom_names"]
    species = [names[t] for t in system["atom_types"]]
    frames = []
    for i in range(len(system["energies"])):
        frame = {
            "species": species,
            "coords": system["coords"][i].tolist(),
            "energy": float(system["energies"][i]),
            "forces": system["forces"][i].tolist(),
        }
        if not system.get("nopbc", False):
            frame["cell"] = system["cells"][i].tolist()
        if system.get("virials") is not None:
            frame["virial"] = system["virials"][i].tolist()
        frames.append(frame)
    json.dump({"frames": frames}, sys.stdout)


if __name__ == "__main__":
    main()
