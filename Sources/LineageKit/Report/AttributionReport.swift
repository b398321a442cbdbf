import Foundation

/// Turns an attribution result and its exhibits into the report's content, in the order a reader
/// needs it: the question, the answer, how it was reached, how often this configuration errs, the
/// plots, the numbers, the evidence a person can check, the inputs, and the limits.
enum AttributionReport {
    static let plotFiles = (perProbe: "per-probe.svg", ranking: "ranking.svg", tippett: "tippett.svg",
                            position: "calibration-position.svg")

    /// - Parameter calibrationPairs: the labelled pairs of the calibration file (the result carries only its reference).
    static func document(result: AttributionResult, analysis: ReportAnalysis, compare: Bool,
                         calibrationPairs: [CalibratedPair]) -> (ReportDocument, [(String, String)]) {
        let student = result.student.model
        let candidates = result.ranking.map(\.model)
        var doc = ReportDocument(title: compare
            ? "Is \(student) distilled from \(candidates.first ?? "?")?"
            : "Which of \(candidates.count) candidate teachers, if any, was \(student) distilled from?")
        let calibrated = result.calibration.errorRates.pairs > 0
        let ranking = result.ranking

        // 1. The question.
        doc.blocks.append(.heading("The question"))
        doc.blocks.append(.paragraph(compare
            ? "Were the answers of \(student) learned from answers of \(candidates.first ?? "?") (distillation), or are the two only as alike as any two unrelated models? Judged from their recorded answers to the \(result.probeSet.probes) fixed prompts of probe set \(result.probeSet.name), against a panel of \(result.panel.count) other models."
            : "Was \(student) distilled from one of these candidates: \(candidates.sorted().joined(separator: ", "))? Judged from their recorded answers to the \(result.probeSet.probes) fixed prompts of probe set \(result.probeSet.name), each candidate against a panel of \(result.panel.count) other models."))

        // 2. The answer.
        doc.blocks.append(.heading("The answer"))
        if let best = ranking.first {
            let lr = pow(10, best.log10LikelihoodRatio)
            let headline = Self.headline(best, student: student, compare: compare)
            var detail = "log10 LR = \(Markup.number(best.log10LikelihoodRatio)) (LR \(lrText(lr)) : 1) — \(best.verbal). Calibrated score \(Markup.number(best.score)); n-gram impostor score \(Markup.number(best.statistics.impostor.score)) panel sd [95% CI \(Markup.number(best.statistics.scoreInterval.low)), \(Markup.number(best.statistics.scoreInterval.high))]; p = \(Markup.pValue(best.pValue)), Holm-adjusted p = \(Markup.pValue(best.pValueHolm)) (supporting statistics; they do not gate the verdict)." + (calibrated ? "" : " No calibration was available, so the likelihood ratio is 1 by construction and no verdict but 'inconclusive' is possible.")
            if let reasons = best.inconclusiveReasons {
                detail += " Inconclusive whatever the score, because the evidence is outside what the calibration covers: " + reasons.joined(separator: "; ") + "."
            }
            doc.blocks.append(.answer(verdict: best.verdict, headline: headline, detail: detail))
            doc.blocks.append(.paragraph(Self.verdictRule(result)))
            if calibrated, let margin = result.rankingMargin {
                let record = result.calibration.rankingRecord.map { "; " + $0.sentence(for: margin) } ?? ""
                doc.blocks.append(.paragraph("Ranking: " + margin.sentence(threshold: result.options.decisionLog10LR) + record + ". Each likelihood ratio weighs a candidate against an unrelated model; the ratio of the first two weighs them against each other."))
            }
            if let jackknife = result.panelJackknife {
                doc.blocks.append(.paragraph("Panel jackknife: " + jackknife.sentence() + ". The calibration's map is unchanged; only the panel the evidence is measured against is one model smaller."))
                let label = jackknife.measureName, value = jackknife.measure
                doc.blocks.append(.table(header: ["candidate", label, "lowest, without", "highest, without", "verdict changes"],
                                         rows: jackknife.candidates.compactMap { c in
                    guard let full = ranking.first(where: { $0.model == c.model }), let low = c.lowest(value), let high = c.highest(value) else { return nil }
                    return [c.model, Markup.number(jackknife.calibrated ? full.log10LikelihoodRatio : full.score),
                            "\(Markup.number(low[keyPath: value])) (\(low.panelModel))", "\(Markup.number(high[keyPath: value])) (\(high.panelModel))",
                            "\(c.verdictChanges) of \(jackknife.omissions)"]
                }))
            }
            for note in Self.calibrationMembership(student: student, candidates: ranking.map(\.model), pairs: calibrationPairs) {
                doc.blocks.append(.paragraph(note))
            }
            if let heldOut = result.calibration.heldOutSentence(student: student) {
                doc.blocks.append(.paragraph(heldOut.prefix(1).uppercased() + heldOut.dropFirst() + "."))
            }
        }
        if ranking.count > 1 || !compare {
            let lengthHeader = "median answer (characters" + (result.student.answers.map { "; student \($0.wholeMedianCharacters)" } ?? "") + ")"
            doc.blocks.append(.table(header: ["rank", "candidate", "score", "n-gram z 95% CI", "log10 LR", "verbal (ENFSI)", "p", "p (Holm)", "verdict", lengthHeader],
                                     rows: ranking.map { a in
                [String(a.rank), a.model, Markup.number(a.score),
                 "[\(Markup.number(a.statistics.scoreInterval.low)), \(Markup.number(a.statistics.scoreInterval.high))]",
                 Markup.number(a.log10LikelihoodRatio), a.verbal, Markup.pValue(a.pValue), Markup.pValue(a.pValueHolm), verdictLabel(a),
                 result.candidateAnswers(a.model).map { String($0.wholeMedianCharacters) } ?? "–"]
            }))
        }
        if let check = result.lengthCheck, let best = ranking.first {
            doc.blocks.append(.paragraph("Length check (a sensitivity analysis; it does not change any verdict): two answers of unlike length look less alike in every feature, so the candidates were ranked again with each per-probe similarity first corrected by what unrelated models lose at the same difference in length (fitted on the calibration's panel), the same features weighed by a map of their own. " + check.sentence(verdictFirst: best.model) + ". That record was measured on the labelled pairs the check was designed after (docs/FINDINGS.md, \"Length check\"). Where it failed there and on a second probe set, it drew a student built on a Llama base model towards the Llama-2 chat model, which shares that base: a likeness no length correction removes. Where the two rankings differ, the choice between those two candidates rests on how much of their likeness is answer length."))
            doc.blocks.append(.table(header: ["candidate", "rank", "rank, length corrected", "log10 LR, length corrected"],
                                     rows: ranking.map { a in
                let adjusted = check.place(of: a.model)
                return [a.model, String(a.rank), adjusted.map { String($0.rank) } ?? "–",
                        adjusted.map { Markup.number($0.entry.log10LikelihoodRatio) } ?? "–"]
            }))
        }

        // 3. The method.
        doc.blocks.append(.heading("How this was decided"))
        doc.blocks.append(.paragraph("Every answer is turned into vectors (embedding model \(result.embeddingModel.version), \(result.embeddingModel.dimensions) dimensions): one of its word and character n-grams (what it says) and one per structure family (how it is shaped: markdown, how lines open, how it opens and closes, stock phrases, length and layout). Two models' similarity is the mean, over the prompts both answered, of the cosine between their answers. For the n-grams, the candidate's similarity to the student is standardised against the panel — unrelated models answering the same prompts: (similarity to candidate − mean similarity to panel models) / panel sd, the impostors method of authorship verification (Koppel & Winter 2014) turned into a standard score. For the structure families, each prompt's typical answer (the panel's mean vector) is first taken away, so that what the prompt asks for (a list, a table) does not count as likeness. A calibration on labelled pairs of known distilled and independent models weighs these features into one likelihood ratio by logistic-regression fusion (Brümmer et al. 2007): how much more probable this evidence is if the student was distilled from the candidate than if it was not (reported on the ENFSI verbal scale). The features weighed: \(Self.weighedFeatures(result.calibration.map)). The p-value asks whether the candidate could be just one more panel model; with several candidates it is Holm-adjusted; it is reported, not used for the verdict. See docs/METHOD.md and docs/FINDINGS.md."))

        // 4. Known error rates.
        doc.blocks.append(.heading("How often this configuration errs"))
        let rates = result.calibration.errorRates
        if calibrated {
            doc.blocks.append(.paragraph("Measured leave-one-student-out on \(rates.pairs) labelled pairs (\(rates.distilledPairs) distilled, \(rates.independentPairs) independent) of probe set \(result.calibration.probeSet) with embedding model \(result.calibration.embeddingModel) and a \(result.calibration.panelSize)-model panel, from calibration file \(result.calibration.path): each student's pairs were judged by a map fitted without that student."))
            var tierRows: [[String]] = []
            for tier in [rates] + result.calibration.errorRatesByTier {
                tierRows.append([tier.tier, "\(tier.falseDistilled) of \(tier.independentPairs) (\(Markup.percent(tier.falseDistilledRate)); at most \(Markup.percent(tier.falseDistilledUpper95)))",
                                 "\(tier.falseNotDistilled) of \(tier.distilledPairs) (\(Markup.percent(tier.falseNotDistilledRate)); at most \(Markup.percent(tier.falseNotDistilledUpper95)))",
                                 "\(tier.trueDistilled) of \(tier.distilledPairs)", "\(tier.inconclusive) of \(tier.pairs) (\(Markup.percent(tier.inconclusiveRate)))",
                                 Markup.number(tier.auc, 3) + Self.aucInterval(tier)])
            }
            doc.blocks.append(.table(header: ["pairs", "false 'distilled' (independent pairs)", "false 'not-distilled' (distilled pairs)", "distilled pairs found", "inconclusive", "AUC"], rows: tierRows))
            doc.blocks.append(.paragraph("\"At most\" is the exact binomial 95 % upper bound of the rate (Clopper & Pearson 1934): how high the error rate could be and still give so few errors on so few pairs. It takes the pairs as independent; pairs of one student share its answers, so the rates by student below, each student counted once (one run against its candidates), are the bounds that do not rest on that assumption."))
            doc.blocks.append(.table(header: ["measure", "value", "meaning"], rows: [
                ["AUC", Markup.number(rates.auc, 3) + Self.aucInterval(rates), "chance that a distilled pair outscores an independent one (1 = perfect); in brackets its 95 % interval over resampled students (cluster bootstrap)"],
                ["EER", Markup.number(rates.equalErrorRate, 3), "error rate where false 'distilled' and missed distillation are equally frequent"],
                ["Cllr", Markup.number(rates.cllr, 3), "cost of the likelihood ratios in bits (0 perfect, 1 uninformative); Cllr_min \(Markup.number(rates.cllrMin, 3))"],
                ["false 'distilled'", "\(rates.falseDistilled) of \(rates.independentPairs) (at most \(Markup.percent(rates.falseDistilledUpper95)))", "independent pairs that got the verdict 'distilled'"],
                ["missed", "\(rates.missedDistilled) of \(rates.distilledPairs)", "distilled pairs that did not get 'distilled'"],
                ["false 'not-distilled'", "\(rates.falseNotDistilled) of \(rates.distilledPairs) (at most \(Markup.percent(rates.falseNotDistilledUpper95)))", "distilled pairs wrongly exonerated"],
            ] + Self.byStudentRows(rates) + [
                ["inconclusive", "\(rates.inconclusive) of \(rates.pairs)", "pairs left undecided"],
                ["right teacher first", "\(rates.rightTeacherFirst) of \(rates.distilledStudents)", "distilled students whose labelled teacher ranked first"],
            ] + Self.rankingRows(result.calibration.rankingRecord)))
            if let points = result.calibration.operatingPoints, !points.isEmpty {
                let rule = result.options.decisionLog10LR
                doc.blocks.append(.paragraph("The decision threshold is fixed before any case (LR \(Int(pow(10, rule).rounded())), on the ENFSI verbal scale). What another threshold would have cost, on the same labelled pairs and by the same rule (where a threshold lies beyond what the calibration can state, 1:\(Int(pow(10, -result.calibration.map.lowerBound).rounded())) to \(Int(pow(10, result.calibration.map.upperBound).rounded())):1, reaching that limit counts):"))
                doc.blocks.append(.table(header: ["threshold", "false 'distilled' (independent pairs)", "distilled pairs found", "false 'not-distilled' (distilled pairs)", "independent pairs exonerated"],
                                         rows: points.map { p in
                    ["LR \(Int(pow(10, p.log10LR).rounded())) (log10 \(Markup.number(p.log10LR, 1)))\(p.log10LR == rule ? ", in use" : "")",
                     "\(p.falseDistilled) of \(p.independentPairs) (at most \(Markup.percent(p.falseDistilledUpper95)))",
                     "\(p.trueDistilled) of \(p.distilledPairs)",
                     "\(p.falseNotDistilled) of \(p.distilledPairs) (at most \(Markup.percent(p.falseNotDistilledUpper95)))",
                     "\(p.trueNotDistilled) of \(p.independentPairs)"]
                }))
            }
        } else {
            doc.blocks.append(.paragraph("Unknown. No calibration file was found for this probe set, panel and embedding model, so no error rate has been measured and the likelihood ratios are set to 1. Run `make calibrate` (or `lineage calibrate`) on labelled pairs first."))
        }

        // 5. Plots.
        doc.blocks.append(.heading("Plots"))
        var files: [(String, String)] = []
        if let best = ranking.first {
            let svg = ReportPlots.perProbe(best.statistics.perProbe, student: student, candidate: best.model)
            files.append((plotFiles.perProbe, svg))
            doc.blocks.append(.figure(file: plotFiles.perProbe, svg: svg, caption: "Per probe, how much closer \(student)'s answer is to \(best.model)'s than to the panel: the candidate's cosine minus the panel's mean (blue) and minus the closest panel model's (red), each sorted. A distilled student's curves lie mostly above zero."))
        }
        let rankingSVG = ReportPlots.ranking(result, panelScores: analysis.panelScores)
        files.append((plotFiles.ranking, rankingSVG))
        doc.blocks.append(.figure(file: plotFiles.ranking, svg: rankingSVG, caption: "Each candidate's score with its 95% bootstrap interval over probes, coloured by its verdict; the grey strip holds the panel models' own scores, each computed against the rest of the panel — where unrelated models fall (a panel model far outside the others is drawn at the axis edge with its value). The red dashed line is the score at which the likelihood ratio reaches the decision threshold."))
        if calibrated {
            let positionSVG = ReportPlots.calibrationPosition(calibrationPairs, current: ranking.prefix(3).map { ($0.model, $0.score) })
            files.append((plotFiles.position, positionSVG))
            doc.blocks.append(.figure(file: plotFiles.position, svg: positionSVG, caption: "Where this case falls among the labelled pairs the likelihood ratios were calibrated on: each dot is one labelled pair's score (red: known distilled, blue: known independent), and the vertical lines are this case's top candidates. A line among the red dots and clear of the blue ones is what a 'distilled' verdict rests on; a line among the blue dots, one for 'not-distilled'; a line where both overlap, an inconclusive case."))
        }
        let current = ranking.prefix(3).map { ($0.model, $0.log10LikelihoodRatio) }
        let tippettSVG = ReportPlots.tippett(calibrationPairs, current: calibrated ? Array(current) : [])
        files.append((plotFiles.tippett, tippettSVG))
        doc.blocks.append(.figure(file: plotFiles.tippett, svg: tippettSVG, caption: "Tippett plot: for each log10 LR on the x axis, the share of labelled distilled pairs (red) and independent pairs (blue, dashed) with at least that likelihood ratio, out of sample. Well-separated curves mean the likelihood ratios can be trusted; vertical lines mark this case's candidates, labelled above the plot."))

        // 6. Divergence statistics.
        doc.blocks.append(.heading("Divergence statistics"))
        doc.blocks.append(.table(header: ["candidate", "mean cosine", "panel mean", "panel sd", "n-gram z [95% CI]", "t-test p", "rank p", "MMD²", "MMD p", "Jensen–Shannon (bits)", "probes closest"],
                                 rows: ranking.map { a in
            let s = a.statistics, i = s.impostor
            return [a.model, Markup.number(i.meanCosine, 4), Markup.number(i.panelMean, 4), Markup.number(i.panelSD, 4),
                    "\(Markup.number(i.score)) [\(Markup.number(s.scoreInterval.low)), \(Markup.number(s.scoreInterval.high))]",
                    Markup.pValue(i.pValue), Markup.pValue(i.rankPValue), Markup.number(s.mmd.mmdSquared, 4),
                    Markup.pValue(s.mmd.pValue), Markup.number(s.jensenShannon, 4),
                    "\(i.probesClosestToCandidate) of \(i.probesCompared)"]
        }))
        doc.blocks.append(.paragraph("Mean cosine: the candidate's mean per-probe similarity to the student; panel mean/sd: the same over the panel. t-test p: prediction-interval t test of the candidate as a new draw from the panel; rank p: the candidate's rank among the panel, (1 + #panel models at least as close)/(1 + panel size), which can never be below 1/(panel size + 1). MMD²: kernel maximum mean discrepancy between the two models' answer embeddings with a paired permutation p-value (small = alike). Jensen–Shannon: divergence of the two models' word n-gram distributions (0 = identical, 1 = disjoint). Probes closest: probes on which the candidate is closer to the student than every panel model."))

        // 7. Evidence exhibits.
        let exhibit = analysis.exhibitCandidate
        doc.blocks.append(.heading("Evidence: phrases \(student) shares with \(exhibit)"))
        if analysis.sharedPhrases.isEmpty {
            doc.blocks.append(.paragraph("No phrase of 1–4 words appears in at least 3 answers (1% of the probes when more) of both models at twice or more the panel’s rate."))
        } else {
            doc.blocks.append(.paragraph("Word phrases (1–4 words) found in answers of both \(student) and \(exhibit) far more often than in the panel's answers. Counts are answers (probes) containing the phrase; the ratio is the smaller of student/panel and candidate/panel rates (smoothed), as a power of two."))
            doc.blocks.append(.table(header: ["phrase", "\(student)", "\(exhibit)", "panel mean", "panel models using it", "× panel rate"],
                                     rows: analysis.sharedPhrases.map { p in
                ["“\(p.phrase)”", String(p.studentProbes), String(p.candidateProbes), Markup.number(p.panelProbesMean, 1),
                 "\(p.panelModelsUsing) of \(result.panel.count)", "\(Markup.number(pow(2, p.log2Ratio), 1))×"]
            }))
        }
        doc.blocks.append(.heading("Evidence: the answers closest to \(exhibit)'s"))
        doc.blocks.append(.paragraph("The probes where \(student)'s answer is closest to \(exhibit)'s relative to the panel (largest cosine to the candidate minus the best panel model's), with the prompt and the closest panel model's answer for comparison. Answers are shortened to 1,200 characters."))
        doc.blocks.append(.excerpts(analysis.closestProbes.enumerated().map { k, probe in
            ReportDocument.Excerpt(
                title: "\(k + 1). probe \(probe.probe)", prompt: Markup.excerpt(probe.prompt, limit: 600),
                note: "cosine to \(exhibit) \(Markup.number(probe.candidateCosine, 3)); best panel model (\(probe.nearestPanelModel)) \(Markup.number(probe.panelMaxCosine, 3)); panel mean \(Markup.number(probe.panelMeanCosine, 3))",
                columns: [("\(student) (student)", Markup.excerpt(probe.student, limit: 1200)),
                          ("\(exhibit) (candidate)", Markup.excerpt(probe.candidate, limit: 1200)),
                          ("\(probe.nearestPanelModel) (closest panel model)", Markup.excerpt(probe.nearestPanelAnswer, limit: 1200))])
        }))

        // 8. Identity claims.
        doc.blocks.append(.heading("Identity claims in the answers"))
        doc.blocks.append(.paragraph("Model and maker names found in the answers, and the answers where the model speaks of itself (a first-person identity phrase such as “I am”, “as an AI developed by”, “je suis”, “我是” bound to the name in the same sentence). A student that calls itself by its teacher's name is a classic trace of distillation; mentions alone are weak evidence."))
        // One row per model, one column per family named anywhere: "answers naming it (self-claims)".
        let named = ModelFamily.table.filter { family in analysis.identity.contains { $0.families.contains { $0.family == family.id } } }
        var claims: [String] = []
        for mentions in analysis.identity {
            for family in mentions.families {
                for example in family.examples where example.selfClaim {
                    claims.append("\(mentions.model) (\(family.label), probe \(example.probe)): “\(example.excerpt)”")
                }
            }
        }
        if named.isEmpty {
            doc.blocks.append(.paragraph("No model or maker names were found."))
        } else {
            doc.blocks.append(.paragraph("Cells: answers naming the family, and in brackets those that are self-claims."))
            doc.blocks.append(.table(header: ["model (answers)"] + named.map(\.label), rows: analysis.identity.map { mentions in
                ["\(mentions.model) (\(mentions.answers))"] + named.map { family in
                    guard let found = mentions.families.first(where: { $0.family == family.id }) else { return "" }
                    return found.selfClaims > 0 ? "\(found.naming) (\(found.selfClaims))" : "\(found.naming)"
                }
            }))
            if !claims.isEmpty { doc.blocks.append(.bullets(claims)) }
        }

        // 9. Limitations.
        doc.blocks.append(.heading("Limitations"))
        doc.blocks.append(.bullets(limitations(result, analysis: analysis, calibrated: calibrated)))

        // 10. Appendix: the inputs and their alignment (a long table a reader checks rather than reads).
        doc.blocks.append(.appendix("Inputs and their alignment to the probe set"))
        let inputs = [("student", result.student)] + result.candidates.map { ("candidate", $0) } + result.panel.map { ("panel", $0) }
        doc.blocks.append(.table(header: ["role", "model", "file", "format", "aligned", "missing", "empty", "duplicates", "unknown", "reading notes", "sha256"],
                                 rows: inputs.map { role, input in
            let a = input.probes
            return [role, input.model, input.source, input.format, "\(a.aligned)/\(a.probes)", String(a.missing), String(a.empty),
                    a.duplicate > 0 ? "\(a.duplicate) (\(a.conflicting) conflicting)" : "0", String(a.unknown),
                    notes(input.notes), String(input.sha256.prefix(12))]
        }))
        if !result.panelExcluded.isEmpty {
            doc.blocks.append(.paragraph("Left out of the panel (each model counts once, and no model under test is its own impostor):"))
            doc.blocks.append(.bullets(result.panelExcluded.map(\.explanation)))
        }
        doc.blocks.append(.paragraph("Probe set \(result.probeSet.name) (\(result.probeSet.probes) probes, sha256 \(result.probeSet.sha256.prefix(12))); embedding model \(result.embeddingModel.version) (sha256 \(result.embeddingModel.sha256.prefix(12))); calibration \(calibrated ? "\(result.calibration.path) (sha256 \(result.calibration.sha256.prefix(12)))" : "none"); seed \(result.options.seed), \(result.options.bootstrapResamples) bootstrap resamples, \(result.options.permutations) permutations. manifest.json lists every input's and output's SHA-256; `lineage verify` re-runs it."))
        return (doc, files)
    }

    /// The one-line answer, never stronger than the evidence: a verdict reached only because the
    /// calibration cannot state a likelihood ratio beyond 1/10…10 (its bound counts, `Verdict.decide`)
    /// rests on weak support on the ENFSI scale, and says so instead of "looks (not) distilled".
    /// The map's features in words: which it weighs, and which a non-negative fit held at weight 0.
    /// " (low–high)": the AUC's 95 % interval over students, when the calibration holds it.
    static func aucInterval(_ rates: CalibrationMetrics) -> String {
        guard let low = rates.aucLow95, let high = rates.aucHigh95 else { return "" }
        return " (\(Markup.number(low, 3))–\(Markup.number(high, 3)))"
    }

    /// The ranking record's rows: how often clear and close firsts were a labelled teacher.
    static func rankingRows(_ record: RankingRecord?) -> [[String]] {
        guard let record else { return [] }
        return [["clear firsts", "\(record.clearFirst) of \(record.clearStudents)", "of the distilled students whose first candidate's LR was \(record.thresholdFactor) or more times the second's, those whose first was a labelled teacher"],
                ["close firsts", "\(record.closeFirst) of \(record.closeStudents)", "of those whose first two were closer (the ranking between the two not established), those whose first was a labelled teacher"]]
    }

    /// The two error rates counted by student, for the measures table (none for a calibration file that
    /// predates them).
    static func byStudentRows(_ rates: CalibrationMetrics) -> [[String]] {
        guard let s = rates.byStudent else { return [] }
        return [
            ["false 'distilled', by student", "\(s.falseDistilled) of \(s.independentStudents) (at most \(Markup.percent(s.falseDistilledUpper95)))",
             "students with an independent candidate that got 'distilled': how often one run against its candidates falsely accuses"],
            ["false 'not-distilled', by student", "\(s.falseNotDistilled) of \(s.distilledStudents) (at most \(Markup.percent(s.falseNotDistilledUpper95)))",
             "distilled students with a labelled teacher wrongly exonerated"],
        ]
    }

    static func weighedFeatures(_ map: LikelihoodRatioFusion) -> String {
        let held = zip(map.features, map.weights).filter { $0.1 == 0 }.map(\.0)
        let weighed = zip(map.features, map.weights).filter { $0.1 != 0 }.map(\.0)
        var text = weighed.joined(separator: ", ")
        if !held.isEmpty { text += " (\(held.joined(separator: ", ")) given weight 0 by the fit)" }
        if map.weightSign == .nonNegative {
            text += "; no weight may be negative, so being more alike in any feature never lowers the likelihood ratio"
        }
        return text
    }

    static func headline(_ best: CandidateAssessment, student: String, compare: Bool) -> String {
        let weak = VerdictWording.isWeak(best)
        let lr = lrText(pow(10, best.log10LikelihoodRatio))
        switch best.verdict {
        case .distilled:
            return weak
                ? "The evidence leans towards \(student) being distilled from \(best.model), but only weakly (LR \(lr))."
                : "\(student) looks distilled from \(best.model)."
        case .notDistilled:
            let whom = compare ? best.model : "any of the candidates"
            return weak
                ? "The evidence leans against \(student) being distilled from \(whom), but only weakly (LR \(lr)): not a finding of independence."
                : "\(student) does not look distilled from \(whom)."
        case .inconclusive:
            return compare ? "Inconclusive: the data do not decide whether \(student) was distilled from \(best.model)." : "Inconclusive: \(best.model) ranks first, but the evidence does not decide."
        }
    }

    /// A verdict as the report's tables show it (`VerdictWording`).
    static func verdictLabel(_ a: CandidateAssessment) -> String { VerdictWording.label(a) }

    /// The verdict rule, and in plain words what the calibration's bounds on the likelihood ratio mean.
    static func verdictRule(_ result: AttributionResult) -> String {
        let map = result.calibration.map
        let threshold = result.options.decisionLog10LR
        let upper = min(threshold, map.upperBound)
        let lower = max(-threshold, map.lowerBound)
        var rule = "Verdict rule: 'distilled' needs LR ≥ \(lrText(pow(10, upper))); 'not-distilled' needs LR ≤ 1/\(lrText(pow(10, -lower))); anything between, or evidence outside what the calibration covers (fewer than \(result.calibration.supported.minimumProbes) probes compared\(result.calibration.supported.minimumPanel.map { ", a panel of fewer than \($0) models" } ?? ""), answers of unusual length, echoed prompts), is 'inconclusive'."
        guard map.distilledPairs > 0 else { return rule }
        rule += " Limits: the calibration learnt from \(map.distilledPairs) known-distilled and \(map.independentPairs) known-independent pairs, and that many examples cannot back a stronger statement than this: answers like these are at most \(lrText(pow(10, map.upperBound))) times as probable if the student was distilled from the candidate as if not, and at most \(lrText(pow(10, -map.lowerBound))) times as probable if it was not. Any stronger likelihood ratio is cut to these limits."
        if upper < threshold || lower > -threshold {
            rule += " Where a limit is below the usual 10, reaching it is enough for a verdict, so such a verdict rests on weak support and is worded so."
        }
        return rule
    }

    /// What the calibration's labelled pairs say about this case: whether the student is itself one of
    /// its labelled students (then this run is no independent test of the method), and for each candidate
    /// whether the pair is labelled at all. A pair the labelled set leaves out is unknown, never
    /// "independent" (issue 20: vicuna-13b against GPT-4 is not labelled either way).
    static func calibrationMembership(student: String, candidates: [String], pairs: [CalibratedPair]) -> [String] {
        let own = pairs.filter { $0.student == student }
        guard !own.isEmpty else { return [] }
        let labelled = own.map { "\($0.teacher) (\($0.distilled ? "distilled" : "independent"))" }.sorted()
        var notes = ["\(student) is itself a labelled student of the calibration (\(own.count) pairs: \(labelled.joined(separator: ", "))). Its error rates were measured leaving this student out, but the case is not an independent test of the method: the labels for these pairs were known in advance."]
        let unlabelled = candidates.filter { candidate in !own.contains { $0.teacher == candidate } }
        if !unlabelled.isEmpty {
            notes.append("Not labelled either way in the calibration: \(student) with \(unlabelled.sorted().joined(separator: ", ")). For these pairs nothing is known in advance; a low score there is not evidence of known independence.")
        }
        return notes
    }

    static func limitations(_ result: AttributionResult, analysis: ReportAnalysis, calibrated: Bool) -> [String] {
        var items = [
            "Similarity of answers is evidence of shared training data or style, not proof of distillation: a student fine-tuned on data written by a third model that also influenced the candidate looks the same, and a model trained on public text the candidate wrote (e.g. web pages of its answers) can be close without being a distilled student.",
            "The likelihood ratio is only as good as the labelled pairs it was calibrated on; it assumes the case at hand is like them (similar probe set, similar kinds of model).",
            "The panel defines 'unrelated': if panel models were themselves distilled from the candidate, the candidate looks less special and the score drops.",
        ]
        if !calibrated {
            items.append("This run is uncalibrated: likelihood ratios are 1, verdicts are 'inconclusive', and the error rate is unknown.")
        } else if result.calibration.errorRates.pairs < 50 {
            items.append("The calibration rests on only \(result.calibration.errorRates.pairs) labelled pairs (\(result.calibration.errorRates.distilledPairs) distilled): its likelihood ratios are bounded accordingly and its error rates are uncertain.")
        }
        if result.panel.count < 15 {
            items.append("The panel has only \(result.panel.count) models: its mean and sd, and so the score, are imprecise, and the rank p-value cannot go below \(Markup.number(1 / Double(result.panel.count + 1), 3)).")
        }
        if result.ranking.count > 1 {
            items.append("Answer length is a confound between candidates that differ mainly in verbosity: two answers of unlike length look less alike in every feature, and on the AlpacaEval labelled students each wrong first pick between GPT-3.5 and GPT-4 was the one nearer the student's median length (docs/METHOD.md §10). The ranking table gives each candidate's median answer length beside the student's\(result.lengthCheck == nil ? "" : ", and the length check ranks the candidates again with that effect taken out").")
        }
        let aligned = result.ranking.first?.statistics.impostor.probesCompared ?? 0
        if aligned < 200 {
            items.append("Only \(aligned) probes could be compared for the top candidate; intervals are wide with few probes.")
        }
        let incomplete = ([result.student] + result.candidates).filter { $0.probes.missing + $0.probes.empty > 0 }
        if !incomplete.isEmpty {
            items.append("Some answers are missing or empty: " + incomplete.map { "\($0.model) \($0.probes.missing + $0.probes.empty)" }.joined(separator: ", ") + " probes; those probes are skipped pairwise.")
        }
        if let best = result.ranking.first, best.verdict == .distilled, result.ranking.count > 1,
           result.ranking[1].statistics.scoreInterval.high >= best.statistics.scoreInterval.low {
            items.append("The n-gram score intervals of the first two candidates overlap: \(result.ranking[1].model) could be the teacher instead of \(best.model), or both models may share a source.")
        }
        return items
    }

    static func lrText(_ lr: Double) -> String {
        guard lr.isFinite else { return "n/a" }
        if lr >= 100 { return String(format: "%.0f", lr) }
        if lr >= 1 { return String(format: "%.3g", lr) }
        return "1/" + String(format: "%.3g", 1 / lr)
    }

    static func notes(_ notes: ReadingNotes) -> String {
        var parts: [String] = []
        if notes.byteOrderMark { parts.append("BOM skipped") }
        if notes.crlfLines > 0 { parts.append("\(notes.crlfLines) CRLF lines") }
        if notes.blankLines > 0 { parts.append("\(notes.blankLines) blank lines") }
        if !notes.failedRequests.isEmpty { parts.append("\(notes.failedRequests.count) failed requests") }
        return parts.isEmpty ? "—" : parts.joined(separator: "; ")
    }
}
