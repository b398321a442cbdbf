import Foundation

/// How well scores separate labelled pairs: ROC AUC, equal error rate, and the log-likelihood-ratio
/// cost Cllr with its minimum Cllr_min (Brümmer & du Preez 2006; Morrison 2011).
public enum DiscriminationMetrics {
    /// Area under the ROC curve: the probability that a random positive outscores a random negative,
    /// ties counting one half (Mann–Whitney U / (n₊ n₋)).
    public static func auc(scores: [Double], labels: [Bool]) -> Double {
        let positives = zip(scores, labels).filter { $0.1 }.map(\.0)
        let negatives = zip(scores, labels).filter { !$0.1 }.map(\.0)
        guard !positives.isEmpty, !negatives.isEmpty else { return .nan }
        var wins = 0.0
        for p in positives {
            for n in negatives { wins += p > n ? 1 : (p == n ? 0.5 : 0) }
        }
        return wins / Double(positives.count * negatives.count)
    }

    /// Equal error rate: where the false-positive and false-negative rates cross, sweeping the
    /// threshold over the observed scores (linear interpolation between the two nearest points).
    public static func equalErrorRate(scores: [Double], labels: [Bool]) -> Double {
        let positives = Double(labels.filter { $0 }.count)
        let negatives = Double(labels.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        let thresholds = Array(Set(scores)).sorted() + [Double.infinity]
        var previous: (fpr: Double, fnr: Double)? = nil
        for threshold in thresholds {
            let fpr = Double(zip(scores, labels).filter { !$0.1 && $0.0 >= threshold }.count) / negatives
            let fnr = Double(zip(scores, labels).filter { $0.1 && $0.0 < threshold }.count) / positives
            if fnr >= fpr {
                guard let previous else { return (fpr + fnr) / 2 }
                // Interpolate the crossing of the two rate curves between the two thresholds.
                let d0 = previous.fnr - previous.fpr, d1 = fnr - fpr
                let t = d1 == d0 ? 0 : -d0 / (d1 - d0)
                return previous.fpr + t * (fpr - previous.fpr)
            }
            previous = (fpr, fnr)
        }
        return previous.map { ($0.fpr + $0.fnr) / 2 } ?? .nan
    }

    /// Cllr in bits for natural-log likelihood ratios: 0 is perfect, 1 is an uninformative system.
    public static func cllr(log10LR: [Double], labels: [Bool]) -> Double {
        var same = 0.0, different = 0.0, nSame = 0, nDifferent = 0
        for (value, label) in zip(log10LR, labels) {
            let ln = value * M_LN10
            if label { same += softplus(-ln); nSame += 1 } else { different += softplus(ln); nDifferent += 1 }
        }
        guard nSame > 0, nDifferent > 0 else { return .nan }
        return (same / Double(nSame) + different / Double(nDifferent)) / (2 * M_LN2)
    }

    /// Cllr after the best monotone recalibration of the scores (pool-adjacent-violators), the
    /// discrimination loss alone; Cllr − Cllr_min is the calibration loss.
    public static func cllrMin(scores: [Double], labels: [Bool]) -> Double {
        let nSame = Double(labels.filter { $0 }.count)
        let nDifferent = Double(labels.count) - nSame
        guard nSame > 0, nDifferent > 0 else { return .nan }
        let posteriors = IsotonicRegression.fit(scores: scores, labels: labels)
        let priorLogOdds = log(nSame / nDifferent)
        let log10LR = posteriors.map { p -> Double in
            let clamped = min(max(p, 1e-12), 1 - 1e-12)
            return (log(clamped / (1 - clamped)) - priorLogOdds) / M_LN10
        }
        return cllr(log10LR: log10LR, labels: labels)
    }

    /// `log(1 + e^x)` without overflow.
    static func softplus(_ x: Double) -> Double { x > 30 ? x : log1p(exp(x)) }
}

/// Pool-adjacent-violators: the non-decreasing step function of the score that best fits the labels.
enum IsotonicRegression {
    /// Returns the fitted probability for each input, in input order.
    static func fit(scores: [Double], labels: [Bool]) -> [Double] {
        let order = scores.indices.sorted { (scores[$0], labels[$0] ? 1 : 0) < (scores[$1], labels[$1] ? 1 : 0) }
        var blocks: [(sum: Double, count: Double, members: [Int])] = []
        for index in order {
            blocks.append((labels[index] ? 1 : 0, 1, [index]))
            while blocks.count > 1,
                  blocks[blocks.count - 2].sum / blocks[blocks.count - 2].count
                    >= blocks[blocks.count - 1].sum / blocks[blocks.count - 1].count {
                let last = blocks.removeLast()
                blocks[blocks.count - 1].sum += last.sum
                blocks[blocks.count - 1].count += last.count
                blocks[blocks.count - 1].members += last.members
            }
        }
        var fitted = [Double](repeating: 0, count: scores.count)
        for block in blocks {
            for member in block.members { fitted[member] = block.sum / block.count }
        }
        return fitted
    }
}
