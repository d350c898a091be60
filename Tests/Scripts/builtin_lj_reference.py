"""Reference Lennard-Jones energies, forces and stresses from ASE for Gyre's LJ test.

ASE's `LennardJones(smooth=False)` shifts each pair energy to zero at rc, which is
Gyre's `LennardJones(shifted: true)`. Prints a JSON object with the parameters and
seeded configurations (fcc argon, a triclinic cell, a cell thinner than rc).
Called by Tests/GyreBuiltinTests/PotentialsLJReferenceTests.swift.
"""
import json
import sys

import numpy as np
from ase.build import bulk
from ase.calculators.lj import LennardJones

SIGMA, EPSILON, RC = 3.4, 0.0104, 8.5


def configurations(rng):
    out = []
    for k in range(3):
        atoms = bulk("Ar", "fcc", a=5.26 + 0.1 * k, cubic=True).repeat((2, 2, 2))
        atoms.rattle(0.15, seed=int(rng.integers(1 << 30)))
        out.append(atoms)
    sheared = bulk("Ar", "fcc", a=5.3).repeat((3, 3, 3))
    sheared.set_cell(sheared.cell @ (np.eye(3) + 0.08 * (rng.random((3, 3)) - 0.5)), scale_atoms=True)
    sheared.rattle(0.1, seed=int(rng.integers(1 << 30)))
    out.append(sheared)
    out.append(bulk("Ar", "fcc", a=5.3))  # one atom, many images
    return out


def main():
    rng = np.random.default_rng(7)
    records = []
    for atoms in configurations(rng):
        atoms.calc = LennardJones(sigma=SIGMA, epsilon=EPSILON, rc=RC, smooth=False)
        records.append({
            "symbols": atoms.get_chemical_symbols(),
            "positions": atoms.positions.tolist(),
            "cell": atoms.cell.array.reshape(-1).tolist(),
            "pbc": [bool(p) for p in atoms.pbc],
            "energy": float(atoms.get_potential_energy()),
            "forces": atoms.get_forces().tolist(),
            "energies": atoms.get_potential_energies().tolist(),
            "stress": atoms.get_stress(voigt=False).reshape(-1).tolist(),
        })
    json.dump({"sigma": SIGMA, "epsilon": EPSILON, "rc": RC, "configurations": records}, sys.stdout)


if __name__ == "__main__":
    main()
