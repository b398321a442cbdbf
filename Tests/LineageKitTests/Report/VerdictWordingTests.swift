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
}
