/// Physical constants and unit conversions (CODATA 2018), in one place.
/// Gyre works in LAMMPS "metal" units: eV, Å, ps, K, bar.
public enum Units {
    public static let rydberg = 13.605693122994          // eV per Ry
    public static let hartree = 27.211386245988          // eV per Hartree
    public static let bohr = 0.529177210903              // Å per Bohr
    public static let boltzmann = 8.617333262e-5         // eV/K
    /// eV/Å³ expressed in GPa.
    public static let eVPerCubicAngstromInGPa = 160.21766208
    /// eV/Å³ expressed in bar.
    public static let eVPerCubicAngstromInBar = 1.6021766208e6
    /// eV/Å³ expressed in kbar (VASP's kB).
    public static let eVPerCubicAngstromInKbar = 1602.1766208
    /// 1 amu·Å²/ps² in eV: converts ½mv² with m in amu and v in Å/ps to eV.
    public static let amuAngstrom2PerPs2InEV = 1.0364269656262175e-4
}
