"""Reference EMT energies, forces and stresses from ASE for Gyre's EMT test.

Prints a JSON list of configurations (seeded, so the output is reproducible):
pure fcc metals, Cu-Au alloys, triclinic and small cells, an O-on-Cu mixture
and a non-periodic cluster. Called by Tests/GyreBuiltinTests/PotentialsEMTReferenceTests.swift.
"""
import json
import sys

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.calculators.emt import EMT


def configurations(rng):
    out = []
    lattice = {"Al": 4.05, "Cu": 3.61, "Ag": 4.09, "Au": 4.08, "Ni": 3.52, "Pd": 3.89, "Pt": 3.92}
    for symbol, a in lattice.items():
        atoms = bulk(symbol, "fcc", a=a, cubic=True).repeat((2, 2, 2))
        atoms.rattle(0.08, seed=int(rng.integers(1 << 30)))
        out.append(atoms)
    for k in range(5):
        atoms = bulk("Cu", "fcc", a=3.75, cubic=True).repeat((2, 2, 2))
        gold = rng.random(len(atoms)) < 0.1 + 0.15 * k
        atoms.symbols[gold] = "Au"
        atoms.rattle(0.1, seed=int(rng.integers(1 << 30)))
        out.append(atoms)
    for k in range(4):
        atoms = bulk("Cu", "fcc", a=3.61).repeat((3, 3, 3))
        strain = np.eye(3) + 0.06 * (rng.random((3, 3)) - 0.5)
        atoms.set_cell(atoms.cell @ strain, scale_atoms=True)
        if k % 2 == 1:
            atoms.symbols[rng.random(len(atoms)) < 0.3] = "Au"
        atoms.rattle(0.05, seed=int(rng.integers(1 << 30)))
        out.append(atoms)
    # Cells thinner than the cutoff: many periodic images of each atom.
    for symbol in ("Cu", "Pt"):
        atoms = bulk(symbol, "fcc", a=3.7)
        atoms.set_cell(atoms.cell @ (np.eye(3) + 0.03 * rng.random((3, 3))), scale_atoms=True)
        out.append(atoms)
    mixed = bulk("Ni", "fcc", a=3.6, cubic=True).repeat((2, 2, 2))
    mixed.symbols[[0, 5, 9]] = ["O", "Pd", "Ag"]
    mixed.symbols[[13]] = ["Al"]
    mixed.rattle(0.05, seed=int(rng.integers(1 << 30)))
    out.append(mixed)
    cluster = bulk("Cu", "fcc", a=3.61, cubic=True).repeat((2, 2, 2))
    cluster.symbols[[1, 2]] = ["Au", "Au"]
    cluster.rattle(0.1, seed=int(rng.integers(1 << 30)))
    cluster.pbc = False
    out.append(cluster)
    return out


def main():
    rng = np.random.default_rng(20240601)
    records = []
    for atoms in configurations(rng):
        atoms.calc = EMT()
        record = {
            "symbols": atoms.get_chemical_symbols(),
            "positions": atoms.positions.tolist(),
            "cell": atoms.cell.array.reshape(-1).tolist(),
            "pbc": [bool(p) for p in atoms.pbc],
            "energy": float(atoms.get_potential_energy()),
            "forces": atoms.get_forces().tolist(),
            "energies": atoms.get_potential_energies().tolist(),
            "stress": None,
        }
        if all(atoms.pbc):
            record["stress"] = atoms.get_stress(voigt=False).reshape(-1).tolist()
        records.append(record)
    json.dump(records, sys.stdout)


if __name__ == "__main__":
    main()
