import Foundation

/// The exact (Clopper & Pearson 1934) one-sided upper confidence bound of a binomial rate: the largest rate
/// under which seeing at most `count` events in `trials` still has probability ≥ 5 %. "0 of 25" then reads
/// "at most 11.3 %", which is what an error rate measured on few pairs can claim.
///
/// Treats the trials as independent. Labelled pairs of one student are not (they share its answers), so the
/// bound is, if anything, too narrow; it is stated as a floor on the uncertainty, not its whole size.
enum BinomialBound {
    /// The 95 % upper bound of `count` / `trials` (NaN without trials; 1 when every trial is an event):
    /// the p with P(X ≤ count | trials, p) = 0.05, i.e. the 0.95 quantile of Beta(count + 1, trials − count).
    static func upper95(_ count: Int, of trials: Int) -> Double {
        guard trials > 0 else { return .nan }
        guard count < trials else { return 1 }
        let a = Double(count + 1), b = Double(trials - count)
        // I_x(a, b) increases with x: bisect for I_x = 0.95 (60 halvings reach Double's resolution).
        var low = 0.0, high = 1.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if StudentT.regularizedIncompleteBeta(middle, a: a, b: b) < 0.95 { low = middle } else { high = middle }
        }
        return high
    }
}
