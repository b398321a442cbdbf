import Testing
@testable import LineageKit

@Suite("VerdictWording")
struct VerdictWordingTests {
    @Test("a verdict reached at a bound nearer to 1 than the threshold is worded as weak; others are bare")
    func weakVerdicts() {
        let options = AttributionOptions()
        // A calibration of 6 independent pairs cannot state an LR below 1/7: that bound is the verdict's limit.
        let narrow = -0.845...1.95
        let exonerated = Verdict.decide(log10LR: -0.845, options: options, bounds: narrow)
        #expect(exonerated == .notDistilled)
        #expect(VerdictWording.label(exonerated, log10LR: -0.845) == "not-distilled (weak)")
        let wide = -1.42...2.35
        #expect(Verdict.decide(log10LR: -0.845, options: options, bounds: wide) == .inconclusive)
        #expect(VerdictWording.label(.inconclusive, log10LR: -0.845) == "inconclusive")
        #expect(VerdictWording.label(.distilled, log10LR: 1.28) == "distilled")
        #expect(VerdictWording.label(.notDistilled, log10LR: -1.2) == "not-distilled")
    }

    @Test("the report's method names the features weighed, those held at weight 0 and the sign constraint")
    func weighedFeaturesInWords() {
        let labels = (0..<40).map { $0 % 4 == 0 }
        let nuisance: [Double] = (0..<40).map { Double($0 % 5) / 10 }
        let rows: [[Double]] = (0..<40).map { k -> [Double] in [(labels[k] ? 2 : 0) + nuisance[k], nuisance[k]] }
        let held = LikelihoodRatioFusion.fit(features: ["ngram", "shape"], rows: rows, labels: labels)
        #expect(held.weights[1] == 0)
        #expect(AttributionReport.weighedFeatures(held)
                == "ngram (shape given weight 0 by the fit); no weight may be negative, so being more alike in any feature never lowers the likelihood ratio")
        let free = LikelihoodRatioFusion.fit(features: ["ngram", "shape"], rows: rows, labels: labels, weightSign: .free)
        #expect(free.weights[1] < 0)
        #expect(AttributionReport.weighedFeatures(free) == "ngram, shape")
    }
}
