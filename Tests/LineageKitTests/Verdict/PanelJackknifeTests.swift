import Foundation
import Testing
@testable import LineageKit

@Suite("Panel jackknife: each candidate with each panel model left out")
struct PanelJackknifeTests {
    /// Two candidates ranked a, b; three panel models. Without p2 the scores tie (b's name is later, so a stays
    /// first); without p3 b leads and a's verdict falls to inconclusive.
    static let jackknife = PanelJackknife.of(
        ranking: [("a", .distilled), ("b", .inconclusive)], panel: ["p1", "p2", "p3"],
        scores: [[1.5, 0.2], [0.9, 0.9], [0.8, 1.1]], log10LRs: [[1.5, 0.2], [1.2, 0.9], [0.8, 1.1]],
        verdicts: [[.distilled, .inconclusive], [.distilled, .inconclusive], [.inconclusive, .distilled]])

    @Test("the first candidate's range, the omissions that give it, and the verdict changes are counted per candidate")
    func countsChangesAndRange() throws {
        let j = Self.jackknife
        #expect(j.omissions == 3)
        #expect(j.candidates.map(\.model) == ["a", "b"])
        let a = j.candidates[0]
        #expect(a.log10LikelihoodRatioLowest == 0.8 && a.log10LikelihoodRatioHighest == 1.5)
        #expect(a.lowest(\.log10LikelihoodRatio)?.panelModel == "p3" && a.highest(\.log10LikelihoodRatio)?.panelModel == "p1")
        #expect(a.verdictChanges == 1 && j.candidates[1].verdictChanges == 1)
        #expect(j.sentence() == "each of the 3 panel models left out in turn: a stays first in 2 of 3; its log10 LR 0.80 (without p3) to 1.50 (without p1), its verdict the same in 2 of 3; other verdicts that change: b (in 1 of 3)")
    }

    @Test("a tie in score keeps the first candidate first only when its name comes first, as attribute ranks")
    func tiesGoByName() {
        #expect(Self.jackknife.firstKept == 2)
        let reversed = PanelJackknife.of(ranking: [("b", .inconclusive), ("a", .inconclusive)], panel: ["p"], scores: [[0.9, 0.9]],
                                         log10LRs: [[0.9, 0.9]], verdicts: [[.inconclusive, .inconclusive]])
        #expect(reversed.firstKept == 0)
        #expect(reversed.sentence().hasSuffix("no other candidate's verdict changes"))
    }

    @Test("without a calibration the sentence follows the scores, which rank, and says there is no LR to move")
    func uncalibratedFollowsTheScore() {
        let j = PanelJackknife.of(ranking: [("a", .inconclusive), ("b", .inconclusive)], panel: ["p1", "p2"],
                                  scores: [[0.7, 0.1], [1.2, 0.3]], log10LRs: [[0, 0], [0, 0]],
                                  verdicts: [[.inconclusive, .inconclusive], [.inconclusive, .inconclusive]], calibrated: false)
        #expect(j.measureName == "score" && j.measure == \PanelJackknife.Omission.score)
        #expect(j.sentence() == "each of the 2 panel models left out in turn: a stays first in 2 of 2; its score 0.70 (without p1) to 1.20 (without p2) (no calibration: no likelihood ratio or verdict to move)")
    }

    @Test("the option is written only when on, and files without it read as off")
    func optionKeepsOldBytes() throws {
        let plain = try JSONOutput.data(AttributionOptions())
        #expect(!String(decoding: plain, as: UTF8.self).contains("panel_jackknife"))
        #expect(try JSONOutput.decode(AttributionOptions.self, from: plain) == AttributionOptions())
        var on = AttributionOptions()
        on.panelJackknife = true
        #expect(try JSONOutput.decode(AttributionOptions.self, from: try JSONOutput.data(on)).panelJackknife)
    }
}
