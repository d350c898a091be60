import Foundation

/// Chebyshev polynomials of the scaled distance times a cosine cutoff:
/// g_n(r) = T_n(x) · fc(r), x = 2(r − r_in)/(r_c − r_in) − 1, fc = ½(cos(πr/r_c) + 1).
/// fc and its slope vanish at r_c, so energies and forces are continuous there.
struct RadialBasis: Sendable {
    let cutoff: Double
    let innerRadius: Double
    let count: Int

    init(settings: DescriptorSettings) {
        cutoff = settings.cutoff
        innerRadius = settings.innerRadius
        count = settings.radialCount
    }

    /// Writes g_n(r) into `values[n]` and dg_n/dr into `slopes[n]` for n < count.
    @inline(__always)
    func evaluate(_ r: Double, values: UnsafeMutablePointer<Double>, slopes: UnsafeMutablePointer<Double>) {
        let phase = Double.pi * r / cutoff
        let fc = 0.5 * (cos(phase) + 1)
        let dfc = -0.5 * Double.pi / cutoff * sin(phase)
        let scale = 2 / (cutoff - innerRadius)
        let x = scale * (r - innerRadius) - 1
        // Chebyshev recurrence for T_n and its x-derivative U-form: T'_{n+1} = 2T_n + 2xT'_n − T'_{n−1}.
        var t0 = 1.0, t1 = x
        var d0 = 0.0, d1 = 1.0
        for n in 0..<count {
            let t: Double, d: Double
            if n == 0 {
                t = t0; d = d0
            } else if n == 1 {
                t = t1; d = d1
            } else {
                let t2 = 2 * x * t1 - t0
                let d2 = 2 * t1 + 2 * x * d1 - d0
                t0 = t1; t1 = t2
                d0 = d1; d1 = d2
                t = t2; d = d2
            }
            values[n] = t * fc
            slopes[n] = d * scale * fc + t * dfc
        }
    }
}
