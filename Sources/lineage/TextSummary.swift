import Foundation
import LineageKit

/// The human-readable summaries the commands print when `--json` is not given.
enum TextSummary {
    static func attribution(_ result: AttributionResult) -> String {
        var lines: [String] = []
        let s = result.student
        lines.append("student \(F(s.model)) (\(F(s.source))): \(s.probes.aligned)/\(s.probes.probes) probes answered, \(s.probes.missing) missing, \(s.probes.empty) empty" + (s.answers.map { "; median answer \($0.wholeMedianCharacters) characters" } ?? ""))
        lines.append("panel: \(result.panel.count) models\(result.panelExcluded.isEmpty ? "" : " (left out: \(result.panelExcluded.map { F($0.model) }.joined(separator: ", ")))"); probe set \(result.probeSet.name); embedding \(result.embeddingModel.version)")
        lines.append("")
        lines.append(pad("rank", 5) + pad("candidate", 28) + pad("score", 8) + pad("n-gram z [95% CI]", 24) + pad("log10 LR", 10) + pad("p (Holm)", 10) + "verdict")
        for a in result.ranking {
            let ci = a.statistics.scoreInterval
            lines.append(pad("\(a.rank)", 5) + pad(F(a.model), 28) + pad(fmt(a.score), 8)
                         + pad("\(fmt(a.statistics.impostor.score)) [\(fmt(ci.low)), \(fmt(ci.high))]", 24) + pad(fmt(a.log10LikelihoodRatio), 10)
                         + pad(String(format: "%.2g", a.pValueHolm), 10) + VerdictWording.label(a))
        }
        for a in result.ranking where a.rank == 1 {
            for reason in a.inconclusiveReasons ?? [] { lines.append("inconclusive because \(F(reason))") }
        }
        if let best = result.ranking.first {
            lines.append("")
            lines.append("\(F(best.model)): \(best.verbal) (LR \(String(format: "%.3g", pow(10, best.log10LikelihoodRatio))):1)")
            if let margin = result.rankingMargin, result.calibration.errorRates.pairs > 0 {
                let record = result.calibration.rankingRecord.map { "; " + $0.sentence(for: margin) } ?? ""
                lines.append("ranking: " + margin.sentence(threshold: result.options.decisionLog10LR, name: F) + record)
            }
            if let jackknife = result.panelJackknife { lines.append("panel jackknife: " + jackknife.sentence(name: F)) }
            if let check = result.lengthCheck {
                lines.append("length check (answer length corrected; not the verdict): " + check.sentence(verdictFirst: best.model, name: F))
            }
        }
        for mismatch in result.calibration.mismatches {
            lines.append("warning: the calibration was \(mismatch); its error rates are not this run's")
        }
        let rates = result.calibration.errorRates
        if rates.pairs > 0 {
            lines.append("error rates of this configuration (leave-one-student-out on \(rates.pairs) labelled pairs of \(result.calibration.probeSet)): AUC \(fmt(rates.auc)), false 'distilled' \(rates.falseDistilled)/\(rates.independentPairs) (at most \(percent(rates.falseDistilledUpper95))), false 'not-distilled' \(rates.falseNotDistilled)/\(rates.distilledPairs) (at most \(percent(rates.falseNotDistilledUpper95))), inconclusive \(rates.inconclusive)/\(rates.pairs)" + byStudent(rates))
            if result.calibration.studentInCalibration {
                lines.append("note: \(F(result.student.model)) is one of the calibration's labelled students; its own pairs are in those rates")
                if let heldOut = result.calibration.heldOutSentence(student: result.student.model, name: F) {
                    lines.append("note: " + heldOut)
                }
            }
        } else {
            lines.append("no calibration: likelihood ratios are 1 and verdicts inconclusive")
        }
        return lines.joined(separator: "\n")
    }

    /// Model-supplied text inside a line (`TerminalText.field`).
    private static func F(_ text: String) -> String { TerminalText.field(text) }

    /// The error rates counted by student (", by student: ..."), or nothing for a calibration file that
    /// predates them.
    static func byStudent(_ rates: CalibrationMetrics) -> String {
        guard let s = rates.byStudent else { return "" }
        return "; by student: some false 'distilled' \(s.falseDistilled)/\(s.independentStudents) (at most \(percent(s.falseDistilledUpper95))), some false 'not-distilled' \(s.falseNotDistilled)/\(s.distilledStudents) (at most \(percent(s.falseNotDistilledUpper95)))"
    }

    static func fmt(_ value: Double) -> String { value.isFinite ? String(format: "%.2f", value) : "n/a" }

    /// A rate as a percentage with one decimal ("n/a" when unmeasured).
    static func percent(_ rate: Double) -> String { rate.isFinite ? String(format: "%.1f %%", rate * 100) : "n/a" }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
