/// Why a candidate was rejected before it could take a label slot.
public enum FilterReason: String, Sendable, Codable, CaseIterable {
    /// Two atoms closer than `minDistance`.
    case atomsTooClose
    /// Cell edges too unequal (`maxLengthRatio`).
    case cellTooElongated
    /// Cell too sheared (`maxHeightRatio`).
    case cellTooSkewed
    /// The trajectory file has no frame for this model_devi row.
    case frameMissing
    /// The same structure (`FrameContent`: species, cell, positions to 10⁻⁶ Å)
    /// is in the data set already, or another candidate of this selection has
    /// it: a label would be paid for and then dropped at ingest. MD restarted
    /// from a system's structure samples it at step 0 every iteration.
    case duplicate
}

extension FrameFilters {
    /// The first filter the frame fails, with the measured value, or nil when it passes.
    func rejection(of frame: Frame) -> (reason: FilterReason, value: Double)? {
        if let cell = frame.cell, cell.pbc != .none {
            let lengths = cell.lengths
            let longest = max(lengths.x, lengths.y, lengths.z)
            let shortest = min(lengths.x, lengths.y, lengths.z)
            if let limit = maxLengthRatio {
                let ratio = shortest > 0 ? longest / shortest : .infinity
                if !(ratio <= limit) { return (.cellTooElongated, ratio) }
            }
            if let limit = maxHeightRatio {
                let w = cell.perpendicularWidths ?? .zero
                let thinnest = min(w.x, w.y, w.z)
                let ratio = thinnest > 0 ? longest / thinnest : .infinity
                if !(ratio <= limit) { return (.cellTooSkewed, ratio) }
            }
        }
        if let dMin = minDistance, let r = PairDistances.shortest(in: frame, below: dMin) {
            return (.atomsTooClose, r)
        }
        return nil
    }
}
