/// The adapter for a workflow's label engine.
public enum LabelAdapters {
    public static func adapter(for settings: LabelSettings, elements: [String], masses: [String: Double]) throws -> any LabelAdapter {
        switch settings.engine {
        case .builtin(let potential):
            return BuiltinLabelAdapter(potential: potential)
        case .qe(let dft):
            return try QELabelAdapter(settings: dft, elements: elements, masses: masses)
        case .cp2k(let dft):
            return try CP2KLabelAdapter(settings: dft, elements: elements)
        case .vasp(let dft):
            return try VASPLabelAdapter(settings: dft, elements: elements)
        case .gaussian(let dft):
            return try GaussianLabelAdapter(settings: dft)
        case .abacus(let dft):
            return try ABACUSLabelAdapter(settings: dft, elements: elements, masses: masses)
        }
    }
}
