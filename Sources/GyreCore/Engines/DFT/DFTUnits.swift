/// Conversions the DFT readers need beyond `Units`, with the exact CODATA 2018
/// elementary charge (1.602176634e-19 C) so that labels equal dpdata's to
/// 1e-10 rather than to the 1e-8 the older 1.6021766208 would allow.
enum DFTUnits {
    /// 1 kbar expressed in eV/Å³: 1e8 Pa / (e · 1e30).
    static let kbarInEVPerCubicAngstrom = 1e8 / 1.602176634e11
    /// Ry/Bohr → eV/Å.
    static let rydbergPerBohr = Units.rydberg / Units.bohr
    /// Hartree/Bohr → eV/Å.
    static let hartreePerBohr = Units.hartree / Units.bohr
}

extension DFTUnits {
    /// 1 GPa expressed in eV/Å³ (CODATA 2018, as dpdata).
    static let gpaInEVPerCubicAngstrom = 1e9 / 1.602176634e11
}
