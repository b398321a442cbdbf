import Foundation
import Testing
@testable import LineageKit

@Suite("BinomialBound")
struct BinomialBoundTests {
    @Test("the exact upper bound matches Beta quantiles (scipy.stats.beta.ppf(0.95, k + 1, n − k)) and the k = 0 closed form")
    func upperBoundMatchesReferenceValues() {
        let reference: [(Int, Int, Double)] = [(0, 25, 0.1129281450068432), (2, 225, 0.027715383581453465),
                                               (0, 87, 0.033847610681619573), (2, 138, 0.044916777969811784),
                                               (0, 6, 0.39303776899708265), (5, 10, 0.7775588989918706)]
        for (count, trials, expected) in reference {
            #expect(abs(BinomialBound.upper95(count, of: trials) - expected) < 1e-9, "\(count) of \(trials)")
        }
        // No events in n trials: 1 − 0.05^(1/n) ("the rule of three": about 3/n).
        #expect(abs(BinomialBound.upper95(0, of: 300) - (1 - pow(0.05, 1.0 / 300))) < 1e-12)
        #expect(BinomialBound.upper95(10, of: 10) == 1)
        #expect(BinomialBound.upper95(0, of: 0).isNaN)
        // More events, or fewer trials, never narrow the bound.
        #expect(BinomialBound.upper95(3, of: 225) > BinomialBound.upper95(2, of: 225))
        #expect(BinomialBound.upper95(2, of: 100) > BinomialBound.upper95(2, of: 225))
    }
}
