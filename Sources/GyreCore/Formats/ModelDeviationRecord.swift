/// One row of DeePMD-kit's `model_devi.out`: the ensemble's disagreement on
/// the frame sampled at `step` (virial deviations in eV, force deviations in eV/Å,
/// energy deviation in eV/atom when present). A NaN means the models produced
/// NaN: the selection step counts such frames as failed.
public struct ModelDeviationRecord: Sendable, Equatable {
    public var step: Int
    public var maxDevV: Double
    public var minDevV: Double
    public var avgDevV: Double
    public var maxDevF: Double
    public var minDevF: Double
    public var avgDevF: Double
    /// The 8th column (`devi_e`), written by `dp model-devi` but not by the LAMMPS plugin.
    public var devE: Double?

    public init(step: Int, maxDevV: Double, minDevV: Double, avgDevV: Double,
                maxDevF: Double, minDevF: Double, avgDevF: Double, devE: Double? = nil) {
        self.step = step
        self.maxDevV = maxDevV
        self.minDevV = minDevV
        self.avgDevV = avgDevV
        self.maxDevF = maxDevF
        self.minDevF = minDevF
        self.avgDevF = avgDevF
        self.devE = devE
    }

    /// Equal when every field is equal, NaN matching NaN: records compare as the file's text does.
    public static func == (l: Self, r: Self) -> Bool {
        func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
        return l.step == r.step && same(l.maxDevV, r.maxDevV) && same(l.minDevV, r.minDevV)
            && same(l.avgDevV, r.avgDevV) && same(l.maxDevF, r.maxDevF) && same(l.minDevF, r.minDevF)
            && same(l.avgDevF, r.avgDevF)
            && (l.devE == nil && r.devE == nil || (l.devE != nil && r.devE != nil && same(l.devE ?? 0, r.devE ?? 0)))
    }
}
