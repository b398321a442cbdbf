import Foundation

/// The three plots of an attribution report, as standalone SVG documents.
enum ReportPlots {
    static let accent = "#c0392b"
    static let panelColour = "#7f8c8d"
    static let blue = "#2c6fbb"

    /// Per-probe similarity: for every probe, the candidate's cosine to the student minus the panel's
    /// mean (blue) and minus the panel's best model on that probe (red), each sorted. Where the red
    /// curve is above zero the candidate beat every panel model on that probe.
    static func perProbe(_ series: PerProbeSimilarity, student: String, candidate: String) -> String {
        var canvas = SVGCanvas(width: 720, height: 320)
        let left = 60.0, right = 700.0, top = 40.0, bottom = 270.0
        var overMean: [Double] = [], overMax: [Double] = []
        for p in series.candidate.indices {
            guard let c = series.candidate[p] else { continue }
            if let m = series.panelMean[p] { overMean.append(c - m) }
            if let m = series.panelMax[p] { overMax.append(c - m) }
        }
        overMean.sort()
        overMax.sort()
        canvas.text(left, 22, "Per-probe similarity of \(student) to \(candidate), relative to the panel", size: 13, weight: "bold")
        guard !overMean.isEmpty else {
            canvas.text(left, 120, "no probe both answered", size: 12)
            return canvas.document(title: "per-probe similarity")
        }
        let low = min(overMax.first ?? 0, overMean.first ?? 0, -0.05)
        let high = max(overMax.last ?? 0, overMean.last ?? 0, 0.05)
        let y = LinearScale(domain: (low, high), range: (bottom, top))
        let x = LinearScale(domain: (0, 1), range: (left, right))
        axes(&canvas, x: x, y: y, left: left, right: right, top: top, bottom: bottom,
             xLabel: "probes, sorted (fraction)", yLabel: "cosine difference")
        canvas.line(left, y(0), right, y(0), stroke: "#000", width: 1)
        func points(_ values: [Double]) -> [(Double, Double)] {
            let step = max(1, values.count / 400)
            var result: [(Double, Double)] = []
            for (k, v) in values.enumerated() where k % step == 0 || k == values.count - 1 {
                result.append((x(Double(k) / Double(max(values.count - 1, 1))), y(v)))
            }
            return result
        }
        canvas.polyline(points(overMean), stroke: blue, width: 2)
        canvas.polyline(points(overMax), stroke: accent, width: 2)
        let aboveMean = overMean.filter { $0 > 0 }.count
        let aboveMax = overMax.filter { $0 > 0 }.count
        canvas.line(left + 10, top + 8, left + 34, top + 8, stroke: blue, width: 2)
        canvas.text(left + 40, top + 12, "candidate − panel mean: above zero on \(aboveMean) of \(overMean.count) probes", size: 11)
        canvas.line(left + 10, top + 26, left + 34, top + 26, stroke: accent, width: 2)
        canvas.text(left + 40, top + 30, "candidate − best panel model: above zero on \(aboveMax) of \(overMax.count) probes", size: 11)
        return canvas.document(title: "per-probe similarity of \(student) to \(candidate) against the panel")
    }

    /// Candidate ranking: each candidate's score with its bootstrap interval, over a grey strip of the
    /// panel models' own scores (each against the rest of the panel) — where unrelated models fall.
    static func ranking(_ result: AttributionResult, panelScores: [PanelModelScore]) -> String {
        let rows = result.ranking
        let rowHeight = 26.0
        let top = 50.0
        let bottom = top + rowHeight * Double(rows.count + 1)
        var canvas = SVGCanvas(width: 720, height: bottom + 50)
        let left = 200.0, right = 700.0
        // The bootstrap interval is of the n-gram impostor score: drawn only when that is the plotted score.
        let intervals = result.calibration.map.features.isEmpty
        canvas.text(20, 22, intervals ? "Candidate scores (panel standard deviations) with 95% bootstrap intervals" : "Candidate scores (calibrated log10 LR) against the panel's", size: 13, weight: "bold")
        var values = panelScores.map(\.score) + rows.map(\.score)
        if intervals { values += rows.flatMap { [$0.statistics.scoreInterval.low, $0.statistics.scoreInterval.high] } }
        let finite = values.filter(\.isFinite)
        let low = min(finite.min() ?? -2, -2), high = max(finite.max() ?? 2, 2)
        let pad = (high - low) * 0.05
        let x = LinearScale(domain: (low - pad, high + pad), range: (left, right))
        for tick in x.ticks(8) {
            canvas.line(x(tick), top - 6, x(tick), bottom, stroke: "#e3e3e3")
            canvas.text(x(tick), bottom + 16, LinearScale.label(tick), size: 10, anchor: .middle)
        }
        canvas.text((left + right) / 2, bottom + 36, result.calibration.map.features.isEmpty ? "score = (similarity − panel mean) / panel sd" : "score = calibrated log10 likelihood ratio (before its bounds)", size: 11, anchor: .middle)
        canvas.line(x(0), top - 6, x(0), bottom, stroke: "#999", dash: "3,3")
        // The score is the calibrated log10 LR before its bounds, so the decision threshold sits at its value.
        if !result.calibration.map.features.isEmpty {
            let threshold = min(result.options.decisionLog10LR, result.calibration.map.upperBound)
            if threshold.isFinite, threshold > low - pad, threshold < high + pad {
                canvas.line(x(threshold), top - 6, x(threshold), bottom, stroke: accent, dash: "5,3", opacity: 0.7)
                canvas.text(x(threshold) + 3, top - 10, "LR = \(LinearScale.label(pow(10, result.options.decisionLog10LR)))", size: 10, fill: accent)
            }
        }
        // Panel strip.
        let stripY = top + rowHeight / 2
        canvas.text(left - 8, stripY + 4, "panel models (\(panelScores.count))", size: 11, anchor: .end, fill: panelColour)
        for model in panelScores where model.score.isFinite {
            canvas.rect(x(model.score) - 1, stripY - 8, 2, 16, fill: panelColour,
                        title: "\(model.model): \(Markup.number(model.score))")
        }
        for (k, row) in rows.enumerated() {
            let cy = top + rowHeight * Double(k + 1) + rowHeight / 2
            let colour = row.verdict == .distilled ? accent : (row.verdict == .notDistilled ? blue : "#333")
            canvas.text(left - 8, cy + 4, "\(row.rank). \(row.model)", size: 11, anchor: .end)
            let ci = row.statistics.scoreInterval
            if intervals, ci.low.isFinite, ci.high.isFinite {
                canvas.line(x(ci.low), cy, x(ci.high), cy, stroke: colour, width: 2)
                canvas.line(x(ci.low), cy - 4, x(ci.low), cy + 4, stroke: colour, width: 1.5)
                canvas.line(x(ci.high), cy - 4, x(ci.high), cy + 4, stroke: colour, width: 1.5)
            }
            canvas.circle(x(row.score), cy, r: 4.5, fill: colour,
                          title: "\(row.model): score \(Markup.number(row.score)), log10 LR \(Markup.number(row.log10LikelihoodRatio)), \(row.verdict.rawValue)")
        }
        return canvas.document(title: "candidate ranking against the panel")
    }

    /// Tippett plot (Meuwly 2001; Morrison 2013): for each threshold t, the proportion of labelled
    /// distilled pairs (red) and independent pairs (blue) whose out-of-sample log10 LR is at least t.
    static func tippett(_ pairs: [CalibratedPair], current: [(String, Double)]) -> String {
        var canvas = SVGCanvas(width: 720, height: 320)
        let left = 60.0, right = 700.0, top = 40.0, bottom = 270.0
        canvas.text(left, 22, "Tippett plot of the calibration (leave-one-student-out likelihood ratios)", size: 13, weight: "bold")
        let distilled = pairs.filter(\.distilled).map(\.log10LikelihoodRatio).sorted()
        let independent = pairs.filter { !$0.distilled }.map(\.log10LikelihoodRatio).sorted()
        guard !distilled.isEmpty || !independent.isEmpty else {
            canvas.text(left, 140, "No calibration: this configuration's error rates are unknown.", size: 13, fill: accent)
            return canvas.document(title: "Tippett plot (no calibration)")
        }
        let all = distilled + independent + current.map(\.1)
        let low = floor((all.min() ?? -1) - 0.25), high = ceil((all.max() ?? 1) + 0.25)
        let x = LinearScale(domain: (low, high), range: (left, right))
        let y = LinearScale(domain: (0, 1), range: (bottom, top))
        axes(&canvas, x: x, y: y, left: left, right: right, top: top, bottom: bottom,
             xLabel: "log10 likelihood ratio (≥ threshold)", yLabel: "cumulative proportion")
        canvas.line(x(0), top, x(0), bottom, stroke: "#999", dash: "3,3")
        func steps(_ values: [Double]) -> [(Double, Double)] {
            guard !values.isEmpty else { return [] }
            let n = Double(values.count)
            var points: [(Double, Double)] = [(x(low), y(1))]
            for (k, v) in values.enumerated() {
                points.append((x(v), y(1 - Double(k) / n)))
                points.append((x(v), y(1 - Double(k + 1) / n)))
            }
            points.append((x(high), y(0)))
            return points
        }
        canvas.polyline(steps(distilled), stroke: accent, width: 2)
        canvas.polyline(steps(independent), stroke: blue, width: 2, dash: "6,3")
        for (k, (label, value)) in current.enumerated() {
            canvas.line(x(value), top, x(value), bottom, stroke: "#000", width: 1.5, opacity: 0.6)
            canvas.text(x(value) + 3, bottom - 6 - 13 * Double(k), label, size: 10)
        }
        canvas.line(right - 230, top + 8, right - 206, top + 8, stroke: accent, width: 2)
        canvas.text(right - 200, top + 12, "distilled pairs (\(distilled.count))", size: 11)
        canvas.line(right - 230, top + 26, right - 206, top + 26, stroke: blue, width: 2, dash: "6,3")
        canvas.text(right - 200, top + 30, "independent pairs (\(independent.count))", size: 11)
        return canvas.document(title: "Tippett plot of the calibration")
    }

    static func axes(_ canvas: inout SVGCanvas, x: LinearScale, y: LinearScale, left: Double, right: Double,
                     top: Double, bottom: Double, xLabel: String, yLabel: String) {
        canvas.line(left, bottom, right, bottom, stroke: "#333")
        canvas.line(left, top, left, bottom, stroke: "#333")
        for tick in x.ticks(8) {
            canvas.line(x(tick), bottom, x(tick), bottom + 4, stroke: "#333")
            canvas.text(x(tick), bottom + 16, LinearScale.label(tick), size: 10, anchor: .middle)
        }
        for tick in y.ticks(5) {
            canvas.line(left - 4, y(tick), left, y(tick), stroke: "#333")
            canvas.line(left, y(tick), right, y(tick), stroke: "#eeeeee")
            canvas.text(left - 7, y(tick) + 4, LinearScale.label(tick), size: 10, anchor: .end)
        }
        canvas.text((left + right) / 2, bottom + 36, xLabel, size: 11, anchor: .middle)
        canvas.text(16, (top + bottom) / 2, yLabel, size: 11, anchor: .middle, rotate: -90)
    }
}
