/// A chemical element: symbol, atomic number and standard atomic weight (amu).
public struct Element: Hashable, Sendable {
    public let symbol: String
    public let number: Int
    /// IUPAC 2016 standard atomic weight; for elements without one, the mass
    /// number of the longest-lived isotope.
    public let mass: Double

    /// The element with this symbol (case-sensitive, "Cu" not "CU"), or nil.
    public static func named(_ symbol: String) -> Element? {
        bySymbol[symbol]
    }

    /// The element with atomic number `z` (1…103), or nil.
    public static func withNumber(_ z: Int) -> Element? {
        z >= 1 && z <= all.count ? all[z - 1] : nil
    }

    private static let bySymbol: [String: Element] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.symbol, $0) })

    /// H to Lr, in order of atomic number.
    public static let all: [Element] = [
        Element(symbol: "H", number: 1, mass: 1.008),
        Element(symbol: "He", number: 2, mass: 4.002602),
        Element(symbol: "Li", number: 3, mass: 6.94),
        Element(symbol: "Be", number: 4, mass: 9.0121831),
        Element(symbol: "B", number: 5, mass: 10.81),
        Element(symbol: "C", number: 6, mass: 12.011),
        Element(symbol: "N", number: 7, mass: 14.007),
        Element(symbol: "O", number: 8, mass: 15.999),
        Element(symbol: "F", number: 9, mass: 18.998403163),
        Element(symbol: "Ne", number: 10, mass: 20.1797),
        Element(symbol: "Na", number: 11, mass: 22.98976928),
        Element(symbol: "Mg", number: 12, mass: 24.305),
        Element(symbol: "Al", number: 13, mass: 26.9815385),
        Element(symbol: "Si", number: 14, mass: 28.085),
        Element(symbol: "P", number: 15, mass: 30.973761998),
        Element(symbol: "S", number: 16, mass: 32.06),
        Element(symbol: "Cl", number: 17, mass: 35.45),
        Element(symbol: "Ar", number: 18, mass: 39.948),
        Element(symbol: "K", number: 19, mass: 39.0983),
        Element(symbol: "Ca", number: 20, mass: 40.078),
        Element(symbol: "Sc", number: 21, mass: 44.955908),
        Element(symbol: "Ti", number: 22, mass: 47.867),
        Element(symbol: "V", number: 23, mass: 50.9415),
        Element(symbol: "Cr", number: 24, mass: 51.9961),
        Element(symbol: "Mn", number: 25, mass: 54.938044),
        Element(symbol: "Fe", number: 26, mass: 55.845),
        Element(symbol: "Co", number: 27, mass: 58.933194),
        Element(symbol: "Ni", number: 28, mass: 58.6934),
        Element(symbol: "Cu", number: 29, mass: 63.546),
        Element(symbol: "Zn", number: 30, mass: 65.38),
        Element(symbol: "Ga", number: 31, mass: 69.723),
        Element(symbol: "Ge", number: 32, mass: 72.63),
        Element(symbol: "As", number: 33, mass: 74.921595),
        Element(symbol: "Se", number: 34, mass: 78.971),
        Element(symbol: "Br", number: 35, mass: 79.904),
        Element(symbol: "Kr", number: 36, mass: 83.798),
        Element(symbol: "Rb", number: 37, mass: 85.4678),
        Element(symbol: "Sr", number: 38, mass: 87.62),
        Element(symbol: "Y", number: 39, mass: 88.90584),
        Element(symbol: "Zr", number: 40, mass: 91.224),
        Element(symbol: "Nb", number: 41, mass: 92.90637),
        Element(symbol: "Mo", number: 42, mass: 95.95),
        Element(symbol: "Tc", number: 43, mass: 97.0),
        Element(symbol: "Ru", number: 44, mass: 101.07),
        Element(symbol: "Rh", number: 45, mass: 102.9055),
        Element(symbol: "Pd", number: 46, mass: 106.42),
        Element(symbol: "Ag", number: 47, mass: 107.8682),
        Element(symbol: "Cd", number: 48, mass: 112.414),
        Element(symbol: "In", number: 49, mass: 114.818),
        Element(symbol: "Sn", number: 50, mass: 118.71),
        Element(symbol: "Sb", number: 51, mass: 121.76),
        Element(symbol: "Te", number: 52, mass: 127.6),
        Element(symbol: "I", number: 53, mass: 126.90447),
        Element(symbol: "Xe", number: 54, mass: 131.293),
        Element(symbol: "Cs", number: 55, mass: 132.90545196),
        Element(symbol: "Ba", number: 56, mass: 137.327),
        Element(symbol: "La", number: 57, mass: 138.90547),
        Element(symbol: "Ce", number: 58, mass: 140.116),
        Element(symbol: "Pr", number: 59, mass: 140.90766),
        Element(symbol: "Nd", number: 60, mass: 144.242),
        Element(symbol: "Pm", number: 61, mass: 145.0),
        Element(symbol: "Sm", number: 62, mass: 150.36),
        Element(symbol: "Eu", number: 63, mass: 151.964),
        Element(symbol: "Gd", number: 64, mass: 157.25),
        Element(symbol: "Tb", number: 65, mass: 158.92535),
        Element(symbol: "Dy", number: 66, mass: 162.5),
        Element(symbol: "Ho", number: 67, mass: 164.93033),
        Element(symbol: "Er", number: 68, mass: 167.259),
        Element(symbol: "Tm", number: 69, mass: 168.93422),
        Element(symbol: "Yb", number: 70, mass: 173.054),
        Element(symbol: "Lu", number: 71, mass: 174.9668),
        Element(symbol: "Hf", number: 72, mass: 178.49),
        Element(symbol: "Ta", number: 73, mass: 180.94788),
        Element(symbol: "W", number: 74, mass: 183.84),
        Element(symbol: "Re", number: 75, mass: 186.207),
        Element(symbol: "Os", number: 76, mass: 190.23),
        Element(symbol: "Ir", number: 77, mass: 192.217),
        Element(symbol: "Pt", number: 78, mass: 195.084),
        Element(symbol: "Au", number: 79, mass: 196.966569),
        Element(symbol: "Hg", number: 80, mass: 200.592),
        Element(symbol: "Tl", number: 81, mass: 204.38),
        Element(symbol: "Pb", number: 82, mass: 207.2),
        Element(symbol: "Bi", number: 83, mass: 208.9804),
        Element(symbol: "Po", number: 84, mass: 209.0),
        Element(symbol: "At", number: 85, mass: 210.0),
        Element(symbol: "Rn", number: 86, mass: 222.0),
        Element(symbol: "Fr", number: 87, mass: 223.0),
        Element(symbol: "Ra", number: 88, mass: 226.0),
        Element(symbol: "Ac", number: 89, mass: 227.0),
        Element(symbol: "Th", number: 90, mass: 232.0377),
        Element(symbol: "Pa", number: 91, mass: 231.03588),
        Element(symbol: "U", number: 92, mass: 238.02891),
        Element(symbol: "Np", number: 93, mass: 237.0),
        Element(symbol: "Pu", number: 94, mass: 244.0),
        Element(symbol: "Am", number: 95, mass: 243.0),
        Element(symbol: "Cm", number: 96, mass: 247.0),
        Element(symbol: "Bk", number: 97, mass: 247.0),
        Element(symbol: "Cf", number: 98, mass: 251.0),
        Element(symbol: "Es", number: 99, mass: 252.0),
        Element(symbol: "Fm", number: 100, mass: 257.0),
        Element(symbol: "Md", number: 101, mass: 258.0),
        Element(symbol: "No", number: 102, mass: 259.0),
        Element(symbol: "Lr", number: 103, mass: 262.0),
    ]
}
