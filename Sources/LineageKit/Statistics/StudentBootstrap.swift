/// A 95 % interval for the AUC of labelled pairs that resamples students, not pairs.
///
/// Why: a student's pairs share its answers, so they are not independent; what varies from one labelled set
/// to another is which students it holds. Drawing students with replacement and taking all of each drawn
/// student's pairs is the cluster bootstrap (Field & Welsh 2007); its percentile interval says how far the AUC
/// of another set of this many students could fall. The project paid for not knowing this once: an AUC of
/// 0.958 on 6 distilled students became 0.858 out of sample.
enum StudentBootstrap {
    /// Resamples drawn; a draw without a distilled or without an independent pair has no AUC and is
    /// skipped.
    static let resamples = 2000

    /// The 2.5th and 97.5th percentiles of the AUC over student resamples, or nil when the pairs have no
    /// distilled or no independent pair. Deterministic: the same pairs and seed give the same interval.
    static func aucInterval(_ pairs: [CalibratedPair], seed: UInt64) -> ClosedRange<Double>? {
        let students = Array(Set(pairs.map(\.student))).sorted()
        let byStudent = Dictionary(grouping: pairs, by: \.student)
        // Per student, its distilled and independent scores.
        let groups = students.map { student in
            (distilled: byStudent[student, default: []].filter(\.distilled).map(\.score),
             independent: byStudent[student, default: []].filter { !$0.distilled }.map(\.score))
        }
        guard groups.contains(where: { !$0.distilled.isEmpty }), groups.contains(where: { !$0.independent.isEmpty }) else {
            return nil
        }
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var distilled: [Double] = [], independent: [Double] = []
            for _ in students.indices {
                let g = groups[generator.index(below: groups.count)]
                distilled += g.distilled
                independent += g.independent
            }
            guard !distilled.isEmpty, !independent.isEmpty else { continue }
            values.append(auc(distilled, independent))
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        return Descriptive.quantile(sorted: values, 0.025)...Descriptive.quantile(sorted: values, 0.975)
    }

    /// Mann–Whitney AUC, ties counted half, by sorting: O((m + n) log(m + n)) for each resample.
    static func auc(_ distilled: [Double], _ independent: [Double]) -> Double {
        let negatives = independent.sorted()
        var wins = 0.0
        for p in distilled {
            let below = lowerBound(negatives, p), notAbove = upperBound(negatives, p)
            wins += Double(below) + 0.5 * Double(notAbove - below)
        }
        return wins / Double(distilled.count * negatives.count)
    }

    private static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high { let mid = (low + high) / 2; if sorted[mid] < value { low = mid + 1 } else { high = mid } }
        return low
    }

    private static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high { let mid = (low + high) / 2; if sorted[mid] <= value { low = mid + 1 } else { high = mid } }
        return low
    }
}
