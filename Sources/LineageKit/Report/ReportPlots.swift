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
    /// The axis spans the candidates' scores and the panel's robust range (`robustRange`): one panel model
    /// far out (−6 where the rest lie within ±2) would squeeze everything else into a few pixels, so it
    /// is drawn at the edge as a hollow triangle with its value.
    static func ranking(_ result: AttributionResult, panelScores: [PanelModelScore]) -> String {
        let rows = result.ranking
        let rowHeight = 26.0
        let top = 50.0
        let bottom = top + rowHeight * Double(rows.count + 1)
        var canvas = SVGCanvas(width: 720, height: bottom + 124)
        let left = 200.0, right = 690.0
        // The bootstrap interval is of the n-gram impostor score: drawn only when that is the plotted score.
        let intervals = result.calibration.map.features.isEmpty
        canvas.text(20, 22, intervals ? "Candidate scores (panel standard deviations) with 95% bootstrap intervals" : "Candidate scores (calibrated log10 LR) against the panel's", size: 13, weight: "bold")
        let panelFinite = panelScores.map(\.score).filter(\.isFinite)
        let (robustLow, robustHigh) = robustRange(panelFinite)
        let candidateScores = rows.map(\.score).filter(\.isFinite)
        let low = min(robustLow, candidateScores.min() ?? 0, -2)
        let high = max(robustHigh, candidateScores.max() ?? 0, 2)
        let pad = (high - low) * 0.05
        let x = LinearScale(domain: (low - pad, high + pad), range: (left, right))
        let clip = { (value: Double) in min(max(value, low - pad), high + pad) }
        for tick in x.ticks(8) {
            canvas.line(x(tick), top - 6, x(tick), bottom, stroke: "#e3e3e3")
            canvas.text(x(tick), bottom + 16, LinearScale.label(tick), size: 10, anchor: .middle)
        }
        canvas.line(left, bottom, right, bottom, stroke: "#333")
        canvas.text((left + right) / 2, bottom + 34, intervals ? "score = (similarity to candidate − panel mean) / panel sd" : "score = calibrated log10 likelihood ratio (before its bounds)", size: 11, anchor: .middle)
        canvas.text(16, (top + bottom) / 2, "candidate (rank)", size: 11, anchor: .middle, rotate: -90)
        canvas.line(x(0), top - 6, x(0), bottom, stroke: "#999", dash: "3,3")
        var thresholdShown = false
        // The score is the calibrated log10 LR before its bounds, so the decision threshold sits at its value.
        if !intervals {
            let threshold = min(result.options.decisionLog10LR, result.calibration.map.upperBound)
            if threshold.isFinite, threshold > low - pad, threshold < high + pad {
                canvas.line(x(threshold), top - 6, x(threshold), bottom, stroke: accent, dash: "5,3", opacity: 0.7)
                canvas.text(x(threshold) + 3, top - 10, "LR = \(LinearScale.label(pow(10, result.options.decisionLog10LR)))", size: 10, fill: accent)
                thresholdShown = true
            }
        }
        // Panel strip; models beyond the axis at its edge, hollow, with their value.
        let stripY = top + rowHeight / 2
        canvas.text(left - 8, stripY + 4, "panel models (\(panelScores.count))", size: 11, anchor: .end, fill: panelColour)
        var clipped = 0
        for model in panelScores where model.score.isFinite {
            let shown = clip(model.score)
            if shown != model.score {
                clipped += 1
                let edge = x(shown), pointsLeft = model.score < shown
                let tip = pointsLeft ? edge - 5 : edge + 5
                canvas.polygon([(tip, stripY), (edge, stripY - 5), (edge, stripY + 5)], fill: panelColour, opacity: 0.9)
                canvas.text(pointsLeft ? edge + 4 : edge - 4, stripY - 8, Markup.number(model.score, 1), size: 9,
                            anchor: pointsLeft ? .start : .end, fill: panelColour)
            } else {
                canvas.rect(x(model.score) - 1, stripY - 8, 2, 16, fill: panelColour,
                            title: "\(model.model): \(Markup.number(model.score))")
            }
        }
        for (k, row) in rows.enumerated() {
            let cy = top + rowHeight * Double(k + 1) + rowHeight / 2
            let colour = verdictColour(row.verdict)
            canvas.text(left - 8, cy + 4, "\(row.rank). \(row.model)", size: 11, anchor: .end)
            let ci = row.statistics.scoreInterval
            if intervals, ci.low.isFinite, ci.high.isFinite {
                canvas.line(x(clip(ci.low)), cy, x(clip(ci.high)), cy, stroke: colour, width: 2)
                for end in [ci.low, ci.high] where clip(end) == end {
                    canvas.line(x(end), cy - 4, x(end), cy + 4, stroke: colour, width: 1.5)
                }
            }
            canvas.circle(x(row.score), cy, r: 4.5, fill: colour,
                          title: "\(row.model): score \(Markup.number(row.score)), log10 LR \(Markup.number(row.log10LikelihoodRatio)), \(row.verdict.rawValue)")
        }
        // Legend, below the axis title.
        var legend = Legend(x: 20, y: bottom + 56)
        legend.dot(&canvas, colour: accent, "distilled")
        legend.dot(&canvas, colour: blue, "not-distilled")
        legend.dot(&canvas, colour: inconclusiveColour, "inconclusive (verdict of the candidate)")
        legend.newLine()
        legend.bar(&canvas, colour: panelColour, "a panel model's own score")
        legend.line(&canvas, colour: "#333", "95% interval")
        if thresholdShown { legend.line(&canvas, colour: accent, dash: "5,3", "score where LR reaches the threshold") }
        if clipped > 0 { legend.triangle(&canvas, colour: panelColour, "\(clipped) beyond the axis (value shown)") }
        return canvas.document(title: "candidate ranking against the panel")
    }

    static let inconclusiveColour = "#333333"

    static func verdictColour(_ verdict: Verdict) -> String {
        switch verdict {
        case .distilled: return accent
        case .notDistilled: return blue
        case .inconclusive: return inconclusiveColour
        }
    }

    /// The range an axis needs to show values whose bulk it should not lose to an outlier: Tukey's far-out
    /// fences (quartiles ∓ 3 IQR; Tukey 1977), narrowed to the values inside them. With fewer than four
    /// values, or no spread, all values.
    static func robustRange(_ values: [Double]) -> (Double, Double) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return (0, 0) }
        guard sorted.count >= 4 else { return (first, last) }
        let q1 = Descriptive.quantile(sorted: sorted, 0.25), q3 = Descriptive.quantile(sorted: sorted, 0.75)
        let iqr = q3 - q1
        guard iqr > 0 else { return (first, last) }
        let inside = sorted.filter { $0 >= q1 - 3 * iqr && $0 <= q3 + 3 * iqr }
        return (inside.first ?? first, inside.last ?? last)
    }

    /// Tippett plot (Meuwly 2001; Morrison 2013): for each threshold t, the proportion of labelled
    /// distilled pairs (red) and independent pairs (blue) whose out-of-sample log10 LR is at least t.
    /// This case's candidates are marked by vertical lines labelled in a lane above the plot, one row
    /// each, so no label sits on a curve; the legend is below the axis.
    static func tippett(_ pairs: [CalibratedPair], current: [(String, Double)]) -> String {
        let lane = 13.0
        let left = 60.0, right = 700.0, top = 40.0 + lane * Double(current.count), bottom = top + 230
        var canvas = SVGCanvas(width: 720, height: bottom + 76)
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
             xLabel: "log10 likelihood ratio threshold t", yLabel: "share of pairs with log10 LR ≥ t")
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
        caseLines(&canvas, current, x: x, left: left, right: right, bottom: bottom, lane: lane, opacity: 0.6)
        var legend = Legend(x: left, y: bottom + 56)
        legend.line(&canvas, colour: accent, "distilled pairs (\(distilled.count))")
        legend.line(&canvas, colour: blue, dash: "6,3", "independent pairs (\(independent.count))")
        if !current.isEmpty { legend.line(&canvas, colour: "#000000", "this case's candidates") }
        return canvas.document(title: "Tippett plot of the calibration")
    }

    /// Where this case falls among the calibration's labelled pairs: each labelled pair's score as a dot
    /// (distilled pairs in one row, independent pairs in another, dots stacked within a bin), and this
    /// case's candidates as vertical lines. The one picture that explains a verdict: a line among the
    /// red dots and right of every blue one is what "distilled" means here.
    static func calibrationPosition(_ pairs: [CalibratedPair], current: [(String, Double)]) -> String {
        let lane = 13.0
        let left = 150.0, right = 700.0, top = 40.0 + lane * Double(current.count)
        var canvas = SVGCanvas(width: 720, height: 0)
        let title = "This case among the labelled pairs of the calibration (scores)"
        let distilled = pairs.filter(\.distilled).map(\.score).filter(\.isFinite).sorted()
        let independent = pairs.filter { !$0.distilled }.map(\.score).filter(\.isFinite).sorted()
        guard !distilled.isEmpty || !independent.isEmpty else {
            canvas = SVGCanvas(width: 720, height: 80)
            canvas.text(20, 22, title, size: 13, weight: "bold")
            canvas.text(20, 52, "No calibration: there are no labelled pairs to compare this case with.", size: 13, fill: accent)
            return canvas.document(title: "this case among the calibration pairs (no calibration)")
        }
        let shown = current.map(\.1).filter(\.isFinite)
        let values = distilled + independent + shown
        let low = (values.min() ?? -1) - 0.5, high = (values.max() ?? 1) + 0.5
        let x = LinearScale(domain: (low, high), range: (left, right))
        // Dots binned at their own diameter and stacked upwards within each row.
        let radius = 3.5, binWidth = 2 * radius + 1
        func stacks(_ scores: [Double]) -> [(Double, Int)] {
            var height: [Int: Int] = [:]
            return scores.map { score in
                let bin = Int(((x(score) - left) / binWidth).rounded(.down))
                let level = height[bin, default: 0]
                height[bin] = level + 1
                return (left + (Double(bin) + 0.5) * binWidth, level)
            }
        }
        let distilledDots = stacks(distilled), independentDots = stacks(independent)
        let rowHeight = { (dots: [(Double, Int)]) in max(40, Double((dots.map(\.1).max() ?? 0) + 1) * binWidth + 12) }
        let distilledBase = top + rowHeight(distilledDots)
        let independentBase = distilledBase + rowHeight(independentDots)
        let bottom = independentBase + 8
        canvas = SVGCanvas(width: 720, height: bottom + 92)
        canvas.text(20, 22, title, size: 13, weight: "bold")
        for tick in x.ticks(8) {
            canvas.line(x(tick), top, x(tick), bottom, stroke: "#eeeeee")
            canvas.line(x(tick), bottom, x(tick), bottom + 4, stroke: "#333")
            canvas.text(x(tick), bottom + 16, LinearScale.label(tick), size: 10, anchor: .middle)
        }
        canvas.line(left, bottom, right, bottom, stroke: "#333")
        canvas.line(left, distilledBase, right, distilledBase, stroke: "#dddddd")
        canvas.text((left + right) / 2, bottom + 34, "score = calibrated log10 likelihood ratio before its bounds (each labelled pair judged without its student)", size: 11, anchor: .middle)
        canvas.text(left - 8, distilledBase - 6, "distilled (\(distilled.count))", size: 11, anchor: .end, fill: accent)
        canvas.text(left - 8, independentBase - 6, "independent (\(independent.count))", size: 11, anchor: .end, fill: blue)
        for (cx, level) in distilledDots {
            canvas.circle(cx, distilledBase - radius - 2 - Double(level) * binWidth, r: radius, fill: accent)
        }
        for (cx, level) in independentDots {
            canvas.circle(cx, independentBase - radius - 2 - Double(level) * binWidth, r: radius, fill: blue)
        }
        caseLines(&canvas, current, x: x, left: left, right: right, bottom: bottom, lane: lane, opacity: 0.7)
        var legend = Legend(x: 20, y: bottom + 56)
        legend.dot(&canvas, colour: accent, "a labelled distilled pair")
        legend.dot(&canvas, colour: blue, "a labelled independent pair")
        legend.line(&canvas, colour: "#000000", "this case's candidates")
        return canvas.document(title: "this case among the labelled pairs of the calibration")
    }

    /// This case's candidates as vertical lines, each labelled with its value in a lane of its own above
    /// the plot (so no label sits on a curve), labels drawn last with a halo where another line crosses.
    static func caseLines(_ canvas: inout SVGCanvas, _ current: [(String, Double)], x: LinearScale, left: Double,
                          right: Double, bottom: Double, lane: Double, opacity: Double) {
        let shown = current.enumerated().filter { $0.element.1.isFinite }
        for (k, (_, value)) in shown {
            canvas.line(x(value), 40 + lane * Double(k) + 11, x(value), bottom, stroke: "#000", width: 1.5, opacity: opacity)
        }
        for (k, (label, value)) in shown {
            let atRight = x(value) > (left + right) / 2
            canvas.text(x(value) + (atRight ? -4 : 4), 40 + lane * Double(k) + 9, "\(label) (\(Markup.number(value)))", size: 10,
                        anchor: atRight ? .end : .start, halo: true)
        }
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
