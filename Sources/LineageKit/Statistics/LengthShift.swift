import Foundation

/// How much less alike two answers to one probe look, in one feature family, when their lengths differ.
///
/// Fitted on the panel, without labels: over every pair of panel models and every probe both answered, the
/// cosine less that probe's mean over the pairs (what the prompt itself asks for), averaged in ten equal-count
/// bins of h = |ln(1 + a) − ln(1 + b)| (a, b: the answers' lengths in Unicode scalars), relative to the first
/// bin. Past the last edge the shift stays flat: a fitted line extrapolated and made a base model with very
/// short answers look distilled (docs/FINDINGS.md, "Verdict v6" and "Verdict v8").
public struct LengthShift: Sendable, Codable, Equatable {
    /// The family, as `EvidenceFeature` names it (`ngram` for the content families together).
    public var family: String
    /// The nine inner decile edges of h over the panel's pairs, ascending.
    public var edges: [Double]
    /// The expected cosine shift in each of the ten bins (0 in the first; an empty bin keeps the one before).
    public var levels: [Double]

    static let bins = 10

    /// The expected cosine shift at length difference `h`: the level of the bin holding it (the edges at or
    /// below `h` count, as numpy's `searchsorted(side="right")` counts them).
    public func shift(_ h: Double) -> Double { levels[Self.bin(h, edges: edges)] }

    static func bin(_ h: Double, edges: [Double]) -> Int { edges.prefix(while: { $0 <= h }).count }

    /// The length difference of two answers, from their `logLength`s.
    static func difference(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) }

    /// ln(1 + the answer's length in Unicode scalars), per probe, of a recording's first answers (0 where none).
    static func logLengths(_ recording: AlignedRecording) -> [Double] {
        recording.firstAnswerLengths.map { log1p(Double($0)) }
    }

    /// The shift of one family fitted on `panel`'s pairs in `tensor` (`logLengths[i][p]` of model i, probe p).
    static func fit(family: String, tensor: ProbeSimilarityTensor, panel: [Int], logLengths: [[Double]]) -> LengthShift {
        var differences: [Double] = [], cosines: [Double] = []
        for probe in 0..<tensor.probes {
            let start = cosines.count
            for (k, a) in panel.enumerated() {
                for b in panel[(k + 1)...] where tensor.isComparable(a, b, probe: probe) {
                    differences.append(difference(logLengths[a][probe], logLengths[b][probe]))
                    cosines.append(Double(tensor.cosine(a, b, probe: probe)))
                }
            }
            guard cosines.count > start else { continue }
            let mean = cosines[start...].reduce(0, +) / Double(cosines.count - start)
            for k in start..<cosines.count { cosines[k] -= mean }
        }
        let sorted = differences.sorted()
        let edges = (1..<bins).map { Descriptive.quantile(sorted: sorted, Double($0) / Double(bins)) }
        guard !sorted.isEmpty else { return LengthShift(family: family, edges: edges.map { _ in 0 }, levels: Array(repeating: 0, count: bins)) }
        var totals = [Double](repeating: 0, count: bins), counts = [Int](repeating: 0, count: bins)
        for (h, c) in zip(differences, cosines) {
            let bin = Self.bin(h, edges: edges)
            totals[bin] += c
            counts[bin] += 1
        }
        var levels: [Double] = []
        for bin in 0..<bins {
            levels.append(counts[bin] > 0 ? totals[bin] / Double(counts[bin]) : (levels.last ?? 0))
        }
        let first = levels[0]
        return LengthShift(family: family, edges: edges, levels: levels.map { $0 - first })
    }

    /// Why the shift cannot be used as it stands, if anything (a hand-edited calibration file).
    var inconsistency: String? {
        guard edges.count == Self.bins - 1, levels.count == Self.bins else {
            return "length shift of \(family): \(edges.count) edges and \(levels.count) levels, not \(Self.bins - 1) and \(Self.bins)"
        }
        guard (edges + levels).allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            return "length shift of \(family): edges not ascending or a non-finite number"
        }
        return nil
    }
}
