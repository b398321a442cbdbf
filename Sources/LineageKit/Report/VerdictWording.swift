import Foundation

/// How a verdict is shown to a reader, in the report and in the CLI's text summary alike: one reached
/// on weak support (|log10 LR| < 1, possible where the calibration's bound on the LR is nearer to 1 than
/// the threshold and counts, `Verdict.decide`) carries "(weak)", so that "not-distilled" on "weak support
/// against" is never read as a finding of independence. Machine outputs (JSON, CSV) keep the bare verdict
/// beside its log10 LR and verbal scale.
public enum VerdictWording {
    public static func label(_ assessment: CandidateAssessment) -> String {
        label(assessment.verdict, log10LR: assessment.log10LikelihoodRatio)
    }

    public static func isWeak(_ assessment: CandidateAssessment) -> Bool {
        isWeak(assessment.verdict, log10LR: assessment.log10LikelihoodRatio)
    }

    static func label(_ verdict: Verdict, log10LR: Double) -> String {
        isWeak(verdict, log10LR: log10LR) ? "\(verdict.rawValue) (weak)" : verdict.rawValue
    }

    static func isWeak(_ verdict: Verdict, log10LR: Double) -> Bool {
        verdict != .inconclusive && abs(log10LR) < 1
    }
}
