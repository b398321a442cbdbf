import Foundation

/// A model's pooled distribution over hashed word n-grams (unigrams and bigrams), for the
/// Jensen–Shannon divergence between two models' vocabularies (Lin 1991).
///
/// Words rather than characters: a word n-gram is a unit a reader recognises, and there are few
/// enough of them that the distribution is held densely over the word family's buckets.
struct NgramDistribution: Sendable {
    /// Sorted bucket ids and their probabilities.
    let buckets: [UInt32]
    let probabilities: [Double]

    init(recording: AlignedRecording, model: EmbeddingModel) {
        self.init(recording: recording, counter: FeatureCounter(model: model))
    }

    /// - Parameter counter: counts the words (of its model); a counter kept for several recordings saves
    ///   making its 2.4 MB table anew (`FeatureCounterPools`).
    init(recording: AlignedRecording, counter: FeatureCounter) {
        guard let layout = counter.model.layout(.words), layout.bucketCount > 0 else {
            buckets = []
            probabilities = []
            return
        }
        // Counts held densely over the word family's buckets (ascending, the order the sum below takes), as
        // integers: exactly the sums of whole numbers a Double total would hold, in half the memory.
        let offset = layout.bucketOffset
        var totals = [UInt32](repeating: 0, count: layout.bucketCount)
        for answers in recording.answers {
            for answer in answers {
                counter.count(answer, only: .words)
                for segment in counter.segments {
                    for k in segment.range {
                        totals[Int(counter.touched[k]) - offset] += counter.frequencies[k]
                    }
                }
            }
        }
        var buckets: [UInt32] = [], values: [Double] = []
        var sum = 0.0
        for (k, total) in totals.enumerated() where total > 0 {
            buckets.append(UInt32(k + offset))
            values.append(Double(total))
            sum += Double(total)
        }
        self.buckets = buckets
        probabilities = values.map { sum > 0 ? $0 / sum : 0 }
    }

    /// JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = (P + Q)/2, in bits: 0 for equal distributions,
    /// 1 for disjoint ones.
    func jensenShannon(_ other: NgramDistribution) -> Double {
        var i = 0, j = 0
        var total = 0.0
        func term(_ p: Double, _ m: Double) -> Double { p > 0 ? p * log2(p / m) : 0 }
        while i < buckets.count || j < other.buckets.count {
            let a = i < buckets.count ? buckets[i] : UInt32.max
            let b = j < other.buckets.count ? other.buckets[j] : UInt32.max
            var p = 0.0, q = 0.0
            if a <= b { p = probabilities[i]; i += 1 }
            if b <= a { q = other.probabilities[j]; j += 1 }
            let m = (p + q) / 2
            total += 0.5 * term(p, m) + 0.5 * term(q, m)
        }
        return total
    }
}
