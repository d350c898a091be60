extension Selector {
    /// A selector built from the rules alone, for callers without a workflow
    /// (benchmarks, scripts): the same as `select:` with `trust` given directly.
    /// - Parameters:
    ///   - force: `.fixed(lo:hi:)` or `.adaptive(hi:top:rate:)`, eV/Å.
    ///   - virial: optional virial window (eV per atom).
    public init(force: TrustSettings.Force, virial: (lo: Double, hi: Double)? = nil,
                maxPerIteration: Int, maxPerSystem: Int? = nil, strategy: SelectSettings.Strategy,
                skipFirst: Int = 0, cutAfterFailure: Bool = false,
                stageName: String = "selection", seed: UInt64, iteration: Int,
                options: SelectionOptions = .standard) {
        let settings = SelectSettings(trust: TrustSettings(force: force, virial: virial), maxPerIteration: maxPerIteration,
                                      maxPerSystem: maxPerSystem, strategy: strategy, skipFirst: skipFirst,
                                      cutAfterFailure: cutAfterFailure)
        let stage = Stage(name: stageName, systems: [], ensemble: .nvt, temperatures: [], pressures: [], steps: 0,
                          timestep: 0, sampleEvery: 1, maxIterations: 1,
                          convergedWhen: Convergence(accurate: nil, loStable: nil), trust: nil)
        self.init(settings: settings, stage: stage, seed: seed, iteration: iteration, options: options)
    }
}
