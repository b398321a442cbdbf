import ArgumentParser
import Foundation
import LineageKit

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the evidence → likelihood-ratio map on labelled pairs and measure its error rates leave-one-student-out.",
        discussion: """
        Fits the map that compare and attribute use for this probe set, embedding model and panel, and measures
        its error rates (false 'distilled', false 'not-distilled', inconclusive) leave-one-student-out, for all
        pairs and per confidence tier, with each feature alone beside them. Write it with --write into the probe
        set's folder as calibration.json and every later run on that set uses it (or pass --calibration FILE).
        With --evaluate FILE nothing is fitted: the given calibration is applied unchanged to these pairs, to see
        whether it carries over to other prompts or models. With --reproduce FILE the given calibration is fitted
        again from these pairs and recordings with the settings it records, and compared byte for byte: exit 0
        if it reproduces, else 1, naming each input whose SHA-256 differs from the one it records and each field
        that comes out otherwise.
        """
    )

    @Option(help: "Labelled pairs (the format of AlpacaEval's pairs.json).")
    var pairs: String

    @Option(help: "A folder with a recording <model>.jsonl (or .json, .csv) for every model the pairs name.")
    var recordings: String

    @Option(name: .customLong("write"), help: "Where to write the calibration file (default: print only).")
    var output: String?

    @Option(help: "Comma-separated features the map weighs (default: \(EvidenceFeature.standard.map(\.description).joined(separator: ","))).")
    var features: String?

    @Option(help: "Ridge penalty on the standardised weights \(OptionRanges.ridge.help) (default: \(LikelihoodRatioFusion.defaultRidge)).")
    var ridge: Double?

    @Option(help: "The sign the fitted weights may take: non-negative (more alike never lowers the LR) or free (default: non-negative).")
    var weights: LikelihoodRatioFusion.WeightSign?

    @Option(name: .customLong("probe-sample"), help: "Use only this many probes, drawn at random with --seed (probe-count study) \(OptionRanges.probeSample.help).")
    var probeSample: Int?

    @Option(help: "Apply this calibration file unchanged to the pairs (no fit) and print its error rates.")
    var evaluate: String?

    @Option(help: "Fit this calibration file again from these pairs and recordings, with the settings it records, and check that it comes out byte for byte.")
    var reproduce: String?

    @OptionGroup var analysis: AnalysisOptions

    @Flag(help: "Print one JSON document on stdout.")
    var json = false

    func validate() throws {
        try OptionRanges.ridge.check(ridge)
        try OptionRanges.probeSample.check(probeSample)
        if analysis.panelJackknife {
            throw ValidationError("--panel-jackknife is for compare and attribute; calibrate measures its error rates on its own panel")
        }
        if evaluate != nil, reproduce != nil {
            throw ValidationError("--evaluate applies a calibration and --reproduce re-fits one: give one of them")
        }
        // The options that shape a fit: --evaluate fits nothing, and --reproduce fits with the file's settings.
        let fitting = [("--write", output != nil), ("--features", features != nil), ("--ridge", ridge != nil),
                       ("--weights", weights != nil)].filter(\.1).map(\.0)
        if reproduce != nil {
            let settings = fitting + (probeSample != nil ? ["--probe-sample"] : [])
            if !settings.isEmpty {
                throw ValidationError("--reproduce fits with the settings the calibration file records; leave out \(settings.joined(separator: ", "))")
            }
        }
        if evaluate != nil, !fitting.isEmpty {
            throw ValidationError("\(fitting.joined(separator: ", ")) \(fitting.count == 1 ? "shapes" : "shape") a fitted map, and --evaluate fits nothing: it applies the given calibration unchanged; leave \(fitting.count == 1 ? "it" : "them") out, or drop --evaluate")
        }
    }

    func run() throws {
        try requireRegularFile(pairs, role: "pairs file")
        let set = try analysis.probeSet()
        let progress = analysis.progress
        let session = analysis.cacheOptions.open()
        let labelled = try LabelledPairs.load(path: pairs)
        let model = try analysis.embeddingModel()
        if let reproduce {
            try runReproduction(of: try Calibration.load(path: reproduce), labelled: labelled, set: set, model: model,
                                session: session, progress: progress)
            return
        }
        if let evaluate {
            let fixed = try Calibration.load(path: evaluate)
            let evaluation = try fixed.evaluate(pairs: labelled, recordings: recordings, panel: try analysis.panelFiles(for: set),
                                                probeSet: set, model: model, probeSample: probeSample,
                                                sampleSeed: analysis.seed,
                                                cache: session?.cache, progress: progress)
            ProgressLine.finish(progress)
            session?.printSummary()
            if json { print(String(decoding: try JSONOutput.data(evaluation), as: UTF8.self)); return }
            let sample = evaluation.probeSampleSeed.map { ", on \(evaluation.probes) of its \(set.probes.count) probes drawn with seed \($0)" } ?? ""
            say("calibration \(evaluate) (fitted on \(fixed.probeSetName), \(fixed.overall.pairs) pairs) applied unchanged to \(pairs)\(sample):")
            let shortfalls = evaluation.outsideCalibration
            if !shortfalls.isEmpty {
                say("  judged on this set's own evidence range; compare and attribute with this calibration would give every pair 'inconclusive' here: \(shortfalls.joined(separator: " and "))")
            }
            say("  inputs: \(evaluation.inputs.summary(key: "inputs"))")
            Self.printMetrics(evaluation.metrics)
            Self.printWithinTeacher(evaluation.withinTeacher)
            Self.printOperatingPoints(evaluation.operatingPoints, rule: fixed.options.decisionLog10LR)
            Self.printRankingRecord(evaluation.rankingRecord)
            Self.printLengthAdjustment(evaluation.lengthAdjustment, measured: "on these pairs (both maps applied unchanged)")
            say("pairs (score and log10 LR of the map applied unchanged):")
            Self.printPairs(evaluation.pairs)
            return
        }
        let chosen = try features.map { try EvidenceFeature.parse($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            ?? EvidenceFeature.standard(for: model)
        if features == nil, chosen.count < EvidenceFeature.standard.count {
            let missing = EvidenceFeature.standard.filter { !chosen.contains($0) }.map(\.description)
            printError("note: the embedding model \(model.version) has no family for \(missing.joined(separator: ", ")); fitting on \(chosen.map(\.description).joined(separator: ", "))")
        }
        let calibration = try Calibration.fit(pairs: labelled, recordings: recordings,
                                              panel: try analysis.panelFiles(for: set), probeSet: set, model: model,
                                              features: chosen,
                                              options: analysis.attributionOptions, ridge: ridge ?? LikelihoodRatioFusion.defaultRidge,
                                              weightSign: weights ?? .nonNegative,
                                              probeSample: probeSample, cache: session?.cache, progress: progress)
        ProgressLine.finish(progress)
        session?.printSummary()
        let data = try JSONOutput.data(calibration)
        if let output { try OutputWriter.write(data, to: output) }
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let m = calibration.overall
        say("labelled pairs: \(m.pairs) (\(m.distilledPairs) distilled, \(m.independentPairs) independent); probe set \(calibration.probeSetName), model \(calibration.embeddingModel), panel \(calibration.panel.count) models")
        if let inputs = calibration.fittedOn { say("fitted on: \(inputs.summary(key: "fitted_on"))") }
        say("leave-one-student-out, the fused map (\(calibration.map.features.joined(separator: " + "))):")
        Self.printMetrics(calibration.metrics)
        Self.printWithinTeacher(calibration.withinTeacher ?? [])
        Self.printOperatingPoints(calibration.operatingPoints ?? [], rule: calibration.options.decisionLog10LR)
        Self.printRankingRecord(calibration.rankingRecord)
        Self.printLengthAdjustment(calibration.lengthAdjustment)
        say("each feature alone, leave-one-student-out (AUC all / high / medium; right teacher first high, medium):")
        for row in calibration.featureTable {
            let byTier = Dictionary(uniqueKeysWithValues: row.metrics.map { ($0.tier, $0) })
            let auc = ["all", "high", "medium"].map { byTier[$0].map { TextSummary.fmt($0.auc) } ?? "–" }.joined(separator: " / ")
            let first = ["high", "medium"].map { byTier[$0].map { "\($0.rightTeacherFirst)/\($0.distilledStudents)" } ?? "–" }.joined(separator: ", ")
            say("  \(TextSummary.pad(row.feature, 14)) AUC \(auc)   first \(first)")
        }
        let map = calibration.map
        let terms = zip(map.features, map.weights).map { "\(String(format: "%+.4f", $1))·z(\($0))" }.joined(separator: " ")
        say("map (\(map.weightSign.rawValue) weights): log10 LR = \(String(format: "%.4f", map.intercept)) \(terms), bounded to [\(TextSummary.fmt(map.lowerBound)), \(TextSummary.fmt(map.upperBound))]")
        say("supported evidence: ≥ \(calibration.supported.minimumProbes) probes compared, median answer \(Int(calibration.supported.medianCharactersLow))–\(Int(calibration.supported.medianCharactersHigh)) characters, ≤ \(Int(calibration.supported.maximumEchoShare * 100)) % echoed prompts\(calibration.supported.minimumPanel.map { ", a panel of ≥ \($0) models" } ?? "")")
        Self.printPairs(calibration.pairs)
        if let output { say("calibration written to \(output)") }
    }

    /// `--reproduce`: re-fits `stored` and says whether it comes out byte for byte (exit 1 when not).
    func runReproduction(of stored: Calibration, labelled: LabelledPairs, set: ProbeSet, model: EmbeddingModel,
                         session: CacheSession?, progress: (@Sendable (String) -> Void)?) throws {
        let options = analysis.attributionOptions, defaults = AttributionOptions()
        let overridden = [("--seed", options.seed, stored.options.seed, defaults.seed),
                          ("--bootstrap", UInt64(options.bootstrapResamples), UInt64(stored.options.bootstrapResamples), UInt64(defaults.bootstrapResamples)),
                          ("--permutations", UInt64(options.permutations), UInt64(stored.options.permutations), UInt64(defaults.permutations))]
            .filter { $0.1 != $0.3 && $0.1 != $0.2 }.map { "\($0.0) \($0.1) (the file records \($0.2))" }
        if !overridden.isEmpty {
            throw ValidationError("--reproduce fits with the settings the calibration file records: \(overridden.joined(separator: ", "))")
        }
        let check = try CalibrationReproduction.check(stored, pairs: labelled, recordings: recordings,
                                                      panel: try analysis.panelFiles(for: set), probeSet: set, model: model,
                                                      cache: session?.cache, progress: progress)
        ProgressLine.finish(progress)
        session?.printSummary()
        if json {
            print(String(decoding: try JSONOutput.data(check), as: UTF8.self))
        } else {
            say("reproduce \(stored.path) (sha256 \(stored.sha256.prefix(12))…) from \(pairs) and \(recordings):")
            if !check.inputsRecorded {
                say("  inputs: the file records none (made before version 0.3.1); only its bytes can be compared")
            } else if check.inputDifferences.isEmpty {
                say("  inputs: the pairs file and all \(check.labelledRecordings) labelled and \(check.panelRecordings) panel recordings match the SHA-256 it records")
            } else {
                for line in check.inputDifferences { say("  input differs: \(line)") }
            }
            if check.reproduced {
                say("  re-fitted: byte for byte the same")
            } else {
                say("  re-fitted (sha256 \(check.refitSHA256.prefix(12))…): differs in \(check.differingFields.joined(separator: ", "))")
            }
        }
        if !check.reproduced {
            printError("calibrate: FAILED: \(stored.path) does not reproduce from these inputs")
            throw ExitCode(1)
        }
    }

    /// Each judged pair, a student's candidates from the highest score down.
    static func printPairs(_ pairs: [CalibratedPair]) {
        for pair in pairs.sorted(by: { ($0.student, -$0.score) < ($1.student, -$1.score) }) {
            say("  \(TextSummary.pad(TerminalText.field(pair.student), 30))\(TextSummary.pad(TerminalText.field(pair.teacher), 22))\(pair.distilled ? "distilled  " : "independent") \(TextSummary.pad(pair.confidence ?? "", 7)) score \(TextSummary.fmt(pair.score))  log10 LR \(TextSummary.fmt(pair.log10LikelihoodRatio))  \(pair.verdict.rawValue)")
        }
    }

    /// The decision rule at other thresholds, the one in use marked.
    static func printOperatingPoints(_ points: [OperatingPoint], rule: Double) {
        guard !points.isEmpty else { return }
        say("  at other thresholds ('distilled' at log10 LR ≥ t, 'not-distilled' at ≤ −t; the rule in use marked *):")
        for p in points {
            let mark = p.log10LR == rule ? "*" : " "
            say("   \(mark)t \(String(format: "%.1f", p.log10LR)) (LR \(Int(pow(10, p.log10LR).rounded()))): false 'distilled' \(p.falseDistilled)/\(p.independentPairs) (at most \(TextSummary.percent(p.falseDistilledUpper95))), found \(p.trueDistilled)/\(p.distilledPairs); false 'not-distilled' \(p.falseNotDistilled)/\(p.distilledPairs) (at most \(TextSummary.percent(p.falseNotDistilledUpper95))), independent exonerated \(p.trueNotDistilled)/\(p.independentPairs)")
        }
    }

    /// How often close and clear firsts were a labelled teacher (`RankingRecord`).
    static func printRankingRecord(_ record: RankingRecord?) {
        guard let record else { return }
        say("  ranking: the first candidate was a labelled teacher for \(record.clearFirst) of \(record.clearStudents) distilled students whose first LR was \(record.thresholdFactor) or more times the second's, and for \(record.closeFirst) of \(record.closeStudents) whose first two were closer")
    }

    /// The length check's own error rates and how its first candidates compared with the verdict's.
    static func printLengthAdjustment(_ adjustment: LengthAdjustment?, measured: String = "leave one student out,") {
        guard let adjustment else { return }
        say("length check (every cosine corrected for answer length, the same features fused by a map of their own; it never decides a verdict):")
        printMetrics(adjustment.metrics)
        printWithinTeacher(adjustment.withinTeacher)
        if let agreement = adjustment.agreement { say("  " + agreement.sentence(measured: measured)) }
        let tiers = LengthAgreement.tierClause(adjustment.agreementByTier)
        if !tiers.isEmpty { say("  " + tiers) }
        let differing = adjustment.firsts.filter { $0.verdict != $0.adjusted }
        if !differing.isEmpty {
            say("  where they differ (labelled teacher marked ✓): " + differing.map {
                "\(TerminalText.field($0.student))\($0.confidence.map { " (\(TerminalText.field($0)))" } ?? ""): verdict \(TerminalText.field($0.verdict))\($0.verdictRight ? " ✓" : ""), check \(TerminalText.field($0.adjusted))\($0.adjustedRight ? " ✓" : "")"
            }.joined(separator: "; "))
        }
    }

    /// Each labelled teacher's AUC among its own pairs (its students against the other students).
    static func printWithinTeacher(_ rows: [TeacherDiscrimination]) {
        guard !rows.isEmpty else { return }
        say("  within each teacher (its distilled pairs against its independent ones): " + rows.map {
            "\(TerminalText.field($0.teacher)) \(TextSummary.fmt($0.auc)) (\($0.distilledPairs)/\($0.independentPairs))"
        }.joined(separator: ", "))
    }

    /// One line per tier: discrimination, then both error rates and the inconclusive rate.
    static func printMetrics(_ metrics: [CalibrationMetrics]) {
        func share(_ count: Int, _ total: Int, atMost bound: Double? = nil) -> String {
            guard total > 0 else { return "–" }
            let rate = "\(count)/\(total) (\(String(format: "%.1f", 100 * Double(count) / Double(total))) %"
            return rate + (bound.map { ", at most \(TextSummary.percent($0)))" } ?? ")")
        }
        for m in metrics {
            let interval = m.aucLow95.flatMap { low in m.aucHigh95.map { " (95 % over students \(TextSummary.fmt(low))–\(TextSummary.fmt($0)))" } } ?? ""
            say("  \(TextSummary.pad(m.tier, 7)) AUC \(TextSummary.fmt(m.auc))\(interval), Cllr \(TextSummary.fmt(m.cllr)), EER \(TextSummary.fmt(m.equalErrorRate)); right teacher first \(m.rightTeacherFirst)/\(m.distilledStudents)")
            say("          false 'distilled' \(share(m.falseDistilled, m.independentPairs, atMost: m.falseDistilledUpper95)), false 'not-distilled' \(share(m.falseNotDistilled, m.distilledPairs, atMost: m.falseNotDistilledUpper95)), distilled found \(share(m.trueDistilled, m.distilledPairs)), inconclusive \(share(m.inconclusive, m.pairs))")
            if let s = m.byStudent {
                say("          by student (one run against its candidates): some false 'distilled' \(share(s.falseDistilled, s.independentStudents, atMost: s.falseDistilledUpper95)), some false 'not-distilled' \(share(s.falseNotDistilled, s.distilledStudents, atMost: s.falseNotDistilledUpper95))")
            }
        }
    }
}

extension LikelihoodRatioFusion.WeightSign: ExpressibleByArgument {}
