import Foundation

/// One labelled pair's features, score and out-of-sample likelihood ratio (the data of the Tippett plot).
public struct CalibratedPair: Sendable, Codable, Equatable {
    public var student: String
    public var teacher: String
    public var distilled: Bool
    public var confidence: String?
    /// The fused score (unbounded log10 LR of the map fitted without this student) and its bounded LR.
    public var score: Double
    public var log10LikelihoodRatio: Double
    /// The pair's features, in the calibration's `map.features` order.
    public var features: [Double]
    public var pValueHolm: Double
    public var verdict: Verdict
    /// Why the evidence was not enough for a verdict (`EvidenceSufficiency`; absent when it was).
    public var inconclusiveReasons: [String]?

    enum CodingKeys: String, CodingKey {
        case student, teacher, distilled, confidence, score, log10LikelihoodRatio = "log10_likelihood_ratio"
        case features, pValueHolm = "p_value_holm", verdict, inconclusiveReasons = "inconclusive_reasons"
    }
}

/// The fitted features → log10 LR map of one configuration (probe set, panel, embedding model), with its
/// error rates measured leave-one-student-out, overall and per confidence tier. Written by
/// `lineage calibrate`; the file's SHA-256 goes into every result.
public struct Calibration: Sendable, Codable, Equatable {
    public var map: LikelihoodRatioFusion
    /// Leave-one-student-out error rates: all pairs first, then each confidence tier.
    public var metrics: [CalibrationMetrics]
    /// Each feature alone, leave-one-student-out (what each family contributes).
    public var featureTable: [FeatureSummary]
    public var pairs: [CalibratedPair]
    /// The evidence the error rates speak for; outside it a verdict is `inconclusive`.
    public var supported: EvidenceSufficiency
    public var probeSetName: String
    public var probeSetSHA256: String
    public var probes: Int
    public var embeddingModel: String
    public var embeddingModelSHA256: String
    public var panel: [String]
    /// Panel files left out as repeats of another panel file (absent when none; the labelled models, which
    /// are always left out of their own panel, are not listed).
    public var panelExcluded: [PanelExclusion]? = nil
    /// Leave-one-student-out AUC of each labelled teacher's pairs alone (absent in files of before 2026-12-07).
    public var withinTeacher: [TeacherDiscrimination]? = nil
    /// The decision rule's errors at LR 3, 10, 32 and 100, leave-one-student-out (absent in files of before
    /// 2026-12-07).
    public var operatingPoints: [OperatingPoint]? = nil
    /// The length-adjusted ranking behind every result's length check (absent in files of before version
    /// 0.3.0: their results have no length check).
    public var lengthAdjustment: LengthAdjustment? = nil
    /// The SHA-256 of the pairs file and of every recording fitted on (absent in files of before version
    /// 0.3.1).
    public var fittedOn: CalibrationInputs? = nil
    public var options: AttributionOptions
    /// Where it was read from and the hash of those bytes (not part of the file itself).
    public var path: String = ""
    public var sha256: String = ""

    enum CodingKeys: String, CodingKey {
        case map, metrics, featureTable = "feature_table", pairs, supported, probeSetName = "probe_set"
        case probeSetSHA256 = "probe_set_sha256", probes, embeddingModel = "embedding_model"
        case embeddingModelSHA256 = "embedding_model_sha256", panel, panelExcluded = "panel_excluded", options
        case withinTeacher = "within_teacher", operatingPoints = "operating_points", lengthAdjustment = "length_adjustment"
        case fittedOn = "fitted_on"
    }

    /// The error rates over all labelled pairs.
    public var overall: CalibrationMetrics { metrics.first ?? .empty }

    /// The students whose pairs the calibration was fitted and measured on.
    public var labelledStudents: Set<String> { Set(pairs.map(\.student)) }

    public var reference: CalibrationReference {
        CalibrationReference(path: path, sha256: sha256, probeSet: probeSetName, embeddingModel: embeddingModel,
                             panelSize: panel.count, map: map, errorRates: overall, errorRatesByTier: Array(metrics.dropFirst()),
                             supported: supported, operatingPoints: operatingPoints,
                             rankingRecord: rankingRecord)
    }

    /// How often the labelled students' close and clear firsts were a labelled teacher, at the decision
    /// threshold (`RankingRecord`).
    public var rankingRecord: RankingRecord? { RankingRecord.of(pairs, threshold: options.decisionLog10LR) }

    /// The reference for a run of `student` against `candidates` on `probeSet` with `model` against `panel`,
    /// naming every way the run's configuration differs from the one this calibration was fitted on, and
    /// whether the student is one of its labelled students (its stated error rates then include this very
    /// student), with its labelled pairs among these candidates (in their order) as they were judged without it.
    func reference(probeSet: ProbeSet, model: EmbeddingModel, panel: [String], student: String,
                   candidates: [String]) -> CalibrationReference {
        var result = reference
        guard overall.pairs > 0 else { return result }
        result.studentInCalibration = labelledStudents.contains(student)
        if result.studentInCalibration {
            let own = pairs.filter { $0.student == student }
            result.heldOutPairs = candidates.compactMap { candidate in own.first { $0.teacher == candidate } }
        }
        if probeSetSHA256 != probeSet.sha256 { result.mismatches.append("fitted on another probe set (sha256 \(probeSetSHA256.prefix(12)))") }
        if embeddingModelSHA256 != model.sha256 { result.mismatches.append("fitted with another embedding model (sha256 \(embeddingModelSHA256.prefix(12)))") }
        let missing = Set(self.panel).subtracting(panel), extra = Set(panel).subtracting(self.panel)
        if !missing.isEmpty || !extra.isEmpty {
            result.mismatches.append("fitted against another panel (\(missing.count) of its \(self.panel.count) models absent here, \(extra.count) models added)")
        }
        return result
    }

    /// No calibration: every LR is 1 and every verdict inconclusive, and results say so.
    public static let uncalibrated = Calibration(
        map: .uninformative, metrics: [.empty], featureTable: [], pairs: [], supported: .none, probeSetName: "",
        probeSetSHA256: "", probes: 0, embeddingModel: "", embeddingModelSHA256: "", panel: [],
        options: AttributionOptions(), path: "(none)", sha256: "")

    /// The features this calibration weighs (`ngram` alone when it is uncalibrated, for the ranking).
    public var features: [EvidenceFeature] {
        get throws(AttributionError) {
            map.features.isEmpty ? [.ngram] : try EvidenceFeature.parse(map.features)
        }
    }

    public static func load(path: String) throws -> Calibration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "cannot read: \(error.localizedDescription)")
        }
        var calibration: Calibration
        do { calibration = try JSONOutput.decode(Calibration.self, from: data) } catch {
            throw InputError(.malformedJSON, at: SourceLocation(path: path), "not a calibration file of this version (re-run `lineage calibrate`): \(error)")
        }
        if let problem = calibration.inconsistency {
            throw InputError(.malformedJSON, at: SourceLocation(path: path), "not a valid calibration: \(problem)")
        }
        calibration.path = path
        calibration.sha256 = SHA256Digest.hex(of: data)
        return calibration
    }

    /// What makes a calibration file unusable, if anything (checked on load, so that a hand-edited file
    /// cannot state verdicts its own numbers contradict).
    var inconsistency: String? {
        if let problem = Self.inconsistency(of: map) { return problem }
        if supported.minimumProbes < 0 || (supported.minimumPanel ?? 0) < 0 || supported.medianCharactersLow > supported.medianCharactersHigh
            || !(0...1).contains(supported.maximumEchoShare) {
            return "supported: inconsistent evidence range"
        }
        if !(options.decisionLog10LR > 0) || !options.decisionLog10LR.isFinite { return "options: decision threshold must be positive" }
        if pairs.contains(where: { $0.features.count != map.features.count }) { return "pairs: feature count differs from the map's" }
        if let problem = fittedOn?.inconsistency(panel: panel, models: Set(pairs.flatMap { [$0.student, $0.teacher] })) { return problem }
        return lengthAdjustment?.inconsistency(verdictMap: map)
    }

    /// What makes a fitted map unusable, if anything.
    static func inconsistency(of m: LikelihoodRatioFusion) -> String? {
        if m.features.count != m.weights.count || m.means.count != m.weights.count || m.scales.count != m.weights.count {
            return "map: \(m.features.count) features but \(m.weights.count) weights, \(m.means.count) means, \(m.scales.count) scales"
        }
        do { _ = try EvidenceFeature.parse(m.features) } catch { return "map: \(error.description)" }
        let numbers = [m.intercept, m.lowerBound, m.upperBound, m.ridge] + m.weights + m.means + m.scales
        if !numbers.allSatisfy(\.isFinite) { return "map: a non-finite number" }
        if m.scales.contains(where: { $0 <= 0 }) { return "map: a scale is not positive" }
        if m.lowerBound > 0 || m.upperBound < 0 { return "map: bounds [\(m.lowerBound), \(m.upperBound)] do not contain 0" }
        if m.distilledPairs < 0 || m.independentPairs < 0 { return "map: negative pair counts" }
        let expectedLower = -log10(Double(m.distilledPairs + 1)), expectedUpper = log10(Double(m.independentPairs + 1))
        if Swift.abs(m.lowerBound - expectedLower) > 1e-9 || Swift.abs(m.upperBound - expectedUpper) > 1e-9 {
            return "map: bounds [\(m.lowerBound), \(m.upperBound)] are not what \(m.distilledPairs) distilled and \(m.independentPairs) independent pairs support"
        }
        return nil
    }

    /// Fits the map on labelled pairs, measuring error rates leave-one-student-out.
    /// - Parameters:
    ///   - recordings: a folder holding `<model>.jsonl` (or `.json`, `.csv`) for every model the pairs name.
    ///   - features: what the map weighs (default `EvidenceFeature.standard`).
    public static func fit(pairs labelled: LabelledPairs, recordings: String, panel: [String], probeSet: ProbeSet,
                           model: EmbeddingModel, features: [EvidenceFeature] = EvidenceFeature.standard,
                           options: AttributionOptions = AttributionOptions(), ridge: Double = LikelihoodRatioFusion.defaultRidge,
                           weightSign: LikelihoodRatioFusion.WeightSign = .nonNegative,
                           probeSample: Int? = nil, cache: EmbeddingCache? = nil,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> Calibration {
        let scored = try LabelledScoring(pairs: labelled, recordings: recordings, panel: panel, probeSet: probeSet,
                                         model: model, features: features, options: options, probeSample: probeSample,
                                         cache: cache, progress: progress)
        let supported = EvidenceSufficiency.fitted(probes: scored.probes, profiles: Array(scored.profiles.values),
                                                   panel: scored.panelNames.count)
        let names = features.map(\.description)
        let results = scored.leaveOneStudentOut(names: names, columns: Array(features.indices), ridge: ridge, weightSign: weightSign,
                                                supported: supported, options: options)
        var table: [FeatureSummary] = []
        for (k, feature) in scored.tableFeatures.enumerated() {
            let single = scored.leaveOneStudentOut(names: [feature.description], columns: [features.count + k], ridge: ridge, weightSign: weightSign,
                                                   supported: supported, options: options)
            table.append(FeatureSummary(feature: feature.description, metrics: CalibrationMetrics.byTier(single)))
        }
        let map = LikelihoodRatioFusion.fit(features: names, rows: scored.rows.map { Array($0.prefix(features.count)) },
                                            labels: scored.pairs.map(\.distilled), ridge: ridge, weightSign: weightSign)
        var adjustment: LengthAdjustment? = nil
        if !scored.adjustedColumns.isEmpty {
            let adjusted = scored.leaveOneStudentOut(names: names, columns: scored.adjustedColumns, ridge: ridge, weightSign: weightSign,
                                                     supported: supported, options: options)
            adjustment = LengthAdjustment(
                shifts: scored.lengthShifts,
                map: LikelihoodRatioFusion.fit(features: names, rows: scored.rows.map { row in scored.adjustedColumns.map { row[$0] } },
                                               labels: scored.pairs.map(\.distilled), ridge: ridge, weightSign: weightSign),
                metrics: CalibrationMetrics.byTier(adjusted, intervalSeed: options.seed), verdict: results, adjusted: adjusted)
        }
        return Calibration(map: map, metrics: CalibrationMetrics.byTier(results, intervalSeed: options.seed), featureTable: table,
                           pairs: results.map { pair in var p = pair; p.features = Array(p.features.prefix(features.count)); return p },
                           supported: supported, probeSetName: probeSet.name, probeSetSHA256: probeSet.sha256,
                           probes: scored.probes, embeddingModel: model.version, embeddingModelSHA256: model.sha256,
                           panel: scored.panelNames, panelExcluded: scored.panelRepeats.isEmpty ? nil : scored.panelRepeats,
                           withinTeacher: TeacherDiscrimination.byTeacher(results),
                           operatingPoints: OperatingPoint.table(results), lengthAdjustment: adjustment, fittedOn: scored.inputs,
                           options: options)
    }

    /// This calibration's map, unchanged, applied to other labelled pairs (another probe set, panel or
    /// models): does what was fitted carry over? The evidence range is that of the new set's own
    /// labelled models, probe count and panel (`CalibrationEvaluation.outsideCalibration` says where it falls
    /// short of this calibration's); nothing is refitted.
    /// - Parameters:
    ///   - probeSample: judge on only this many probes, drawn with `sampleSeed` as `fit` draws them (how the map
    ///     carries over to a smaller probe set).
    public func evaluate(pairs labelled: LabelledPairs, recordings: String, panel: [String], probeSet: ProbeSet,
                         model: EmbeddingModel, probeSample: Int? = nil, sampleSeed: UInt64? = nil,
                         cache: EmbeddingCache? = nil,
                         progress: (@Sendable (String) -> Void)? = nil) throws -> CalibrationEvaluation {
        var sampling = options
        if let sampleSeed { sampling.seed = sampleSeed }
        let scored = try LabelledScoring(pairs: labelled, recordings: recordings, panel: panel, probeSet: probeSet,
                                         model: model, features: try features, options: sampling, probeSample: probeSample,
                                         cache: cache, progress: progress, table: false,
                                         lengthShifts: lengthAdjustment?.shifts)
        let supported = EvidenceSufficiency.fitted(probes: scored.probes, profiles: Array(scored.profiles.values),
                                                   panel: scored.panelNames.count)
        let results = scored.judge(map: { _ in map }, columns: Array(map.features.indices), supported: supported, options: options)
        let adjustment = lengthAdjustment.flatMap { fitted -> LengthAdjustment? in
            guard !scored.adjustedColumns.isEmpty else { return nil }
            let adjusted = scored.judge(map: { _ in fitted.map }, columns: scored.adjustedColumns, supported: supported, options: options)
            return LengthAdjustment(shifts: fitted.shifts, map: fitted.map,
                                    metrics: CalibrationMetrics.byTier(adjusted, intervalSeed: options.seed),
                                    verdict: results, adjusted: adjusted)
        }
        let sampled = scored.probes < probeSet.probes.count
        return CalibrationEvaluation(
            calibration: path, calibrationSHA256: sha256, fittedProbeSet: probeSetName, fittedPairs: overall.pairs,
            probeSetName: probeSet.name, probeSetSHA256: probeSet.sha256, probes: scored.probes,
            probeSampleSeed: sampled ? sampling.seed : nil, panel: scored.panelNames,
            panelExcluded: scored.panelRepeats.isEmpty ? nil : scored.panelRepeats, supported: supported,
            calibrationSupported: self.supported, metrics: CalibrationMetrics.byTier(results, intervalSeed: options.seed),
            withinTeacher: TeacherDiscrimination.byTeacher(results), operatingPoints: OperatingPoint.table(results),
            rankingRecord: RankingRecord.of(results, threshold: options.decisionLog10LR), lengthAdjustment: adjustment,
            inputs: scored.inputs, pairs: results)
    }
}

/// The labelled pairs of a calibration with every feature computed once: the fits and the leave-one-
/// student-out judgements are then cheap.
struct LabelledScoring {
    let pairs: [LabelledPair]
    /// Per pair: the requested features, then `tableFeatures`, then the requested features length-adjusted
    /// (`adjustedColumns`; none without `lengthShifts`).
    let rows: [[Double]]
    let adjustedColumns: [Int]
    /// Fitted on this panel when fitting (`table`), else the calibration's (empty: no length adjustment).
    let lengthShifts: [LengthShift]
    let tableFeatures: [EvidenceFeature]
    let comparedProbes: [Int]
    let pValues: [Double]
    let profiles: [String: AnswerProfile]
    let probes: Int
    let panelNames: [String]
    let panelRepeats: [PanelExclusion]
    let inputs: CalibrationInputs

    init(pairs labelled: LabelledPairs, recordings: String, panel: [String], probeSet: ProbeSet, model: EmbeddingModel,
         features: [EvidenceFeature], options: AttributionOptions, probeSample: Int?, cache: EmbeddingCache?,
         progress: (@Sendable (String) -> Void)?, table: Bool = true, lengthShifts given: [LengthShift]? = nil) throws {
        let names = Array(Set(labelled.pairs.flatMap { [$0.student, $0.teacher] })).sorted()
        var recordingsByName: [String: AlignedRecording] = [:]
        for (k, name) in names.enumerated() {
            progress?("reading labelled recordings: \(k + 1)/\(names.count)")
            guard let path = ["jsonl", "json", "csv"].map({ (recordings as NSString).appendingPathComponent("\(name).\($0)") })
                .first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw AttributionError(description: "no recording for model \"\(name)\" in \(recordings) (looked for \(name).jsonl, .json, .csv)")
            }
            recordingsByName[name] = try Aligner.align(path: path, to: probeSet)
        }
        var selection = PanelSelection(underTest: names.compactMap { recordingsByName[$0] })
        for (k, path) in panel.enumerated() {
            progress?("reading the panel: \(k + 1)/\(panel.count)")
            selection.consider(try Aligner.align(path: path, to: probeSet))
        }
        let panelRecordings = selection.kept
        guard panelRecordings.count >= Attribution.minimumPanel else {
            throw AttributionError(description: "the panel has \(panelRecordings.count) models; at least \(Attribution.minimumPanel) are needed")
        }
        try Attribution.checkFeatures(features, model: model)
        let tableFeatures = table ? Self.tableFeatures(model: model) : []
        progress?("embedding \(names.count + panelRecordings.count) recordings")
        let all = names.compactMap { recordingsByName[$0] } + panelRecordings
        let panelIndices = Array(names.count..<all.count)
        let families = Set((features + tableFeatures).compactMap(\.family))
        let context = ScoringContext(recordings: all, embedder: Embedder(model: model), structureFamilies: families,
                                     centringPool: panelIndices, cache: cache.map { ($0, probeSet, nil) })
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let logLengths = context.recordings.map(LengthShift.logLengths)
        let lengthShifts = table ? LengthAdjustment.shifts(for: features, context: context, panel: panelIndices, logLengths: logLengths)
                                 : given ?? []
        let adjustedContext = lengthShifts.isEmpty ? nil : context.lengthAdjusted(lengthShifts, logLengths: logLengths)
        progress?("scoring \(labelled.pairs.count) labelled pairs")
        // A seeded random subset of probes, for the probe-count study (how the error rates degrade).
        var subset: [Int]? = nil
        if let probeSample, probeSample < probeSet.probes.count {
            var generator = SeededGenerator(seed: options.seed)
            var order = Array(0..<probeSet.probes.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.index(below: i + 1)) }
            subset = Array(order.prefix(max(1, probeSample))).sorted()
        }
        var kept: [LabelledPair] = [], rows: [[Double]] = [], compared: [Int] = [], pValues: [Double] = []
        for pair in labelled.pairs {
            guard let s = index[pair.student], let t = index[pair.teacher] else { continue }
            kept.append(pair)
            rows.append(context.evidence(features + tableFeatures, student: s, candidate: t, panel: panelIndices, over: subset)
                        + (adjustedContext?.evidence(features, student: s, candidate: t, panel: panelIndices, over: subset) ?? []))
            let probesUsed = subset ?? Array(0..<probeSet.probes.count)
            compared.append(probesUsed.filter { context.tensor.isComparable(s, t, probe: $0) }.count)
            pValues.append(ImpostorScore.compute(context.tensor, student: s, candidate: t, panel: panelIndices, over: subset).pValue)
        }
        self.pairs = kept
        self.rows = rows
        self.tableFeatures = tableFeatures
        self.lengthShifts = lengthShifts
        let adjustedStart = features.count + tableFeatures.count
        adjustedColumns = adjustedContext == nil ? [] : Array(adjustedStart..<(adjustedStart + features.count))
        comparedProbes = compared
        self.pValues = pValues
        profiles = recordingsByName.mapValues { AnswerProfile($0, probeSet: probeSet) }
        probes = subset?.count ?? probeSet.probes.count
        panelNames = panelRecordings.map(\.model).sorted()
        panelRepeats = selection.excluded.filter { $0.reason != .underTest }
        inputs = CalibrationInputs(pairsSHA256: labelled.sha256, labelled: recordingsByName, panel: panelRecordings)
    }

    /// Every feature the model can give, for the per-feature table: `ngram`, and each structure family's
    /// centred mean cosine and its z.
    static func tableFeatures(model: EmbeddingModel) -> [EvidenceFeature] {
        [.ngram] + model.families.filter { $0.dimensions > 0 && $0.family.isStructure }.flatMap {
            [EvidenceFeature(family: $0.family, statistic: .meanCosine), EvidenceFeature(family: $0.family, statistic: .impostorScore)]
        }
    }

    var students: [String] { Array(Set(pairs.map(\.student))).sorted() }

    /// Each student's pairs judged by a map fitted on the other students' pairs.
    func leaveOneStudentOut(names: [String], columns: [Int], ridge: Double, weightSign: LikelihoodRatioFusion.WeightSign,
                            supported: EvidenceSufficiency,
                            options: AttributionOptions) -> [CalibratedPair] {
        judge(map: { student in
            let training = pairs.indices.filter { pairs[$0].student != student }
            return LikelihoodRatioFusion.fit(features: names, rows: training.map { i in columns.map { rows[i][$0] } },
                                             labels: training.map { pairs[$0].distilled }, ridge: ridge, weightSign: weightSign)
        }, columns: columns, supported: supported, options: options)
    }

    /// Judges each student's pairs with the map `map(student)` gives, as `attribute` would judge them.
    func judge(map: (String) -> LikelihoodRatioFusion, columns: [Int], supported: EvidenceSufficiency,
               options: AttributionOptions) -> [CalibratedPair] {
        var results: [CalibratedPair] = []
        for student in students {
            let fitted = map(student)
            let own = pairs.indices.filter { pairs[$0].student == student }
            let adjusted = MultipleTesting.holm(own.map { pValues[$0] })
            for (k, i) in own.enumerated() {
                let pair = pairs[i]
                let x = columns.map { rows[i][$0] }
                let score = fitted.score(x)
                let lr = fitted.log10LikelihoodRatio(score: score)
                let reasons = supported.reasons(comparedProbes: comparedProbes[i], panelSize: panelNames.count,
                                                student: profiles[pair.student] ?? .empty, candidate: profiles[pair.teacher] ?? .empty,
                                                studentName: pair.student, candidateName: pair.teacher)
                results.append(CalibratedPair(
                    student: pair.student, teacher: pair.teacher, distilled: pair.distilled, confidence: pair.confidence,
                    score: score, log10LikelihoodRatio: lr, features: x, pValueHolm: adjusted[k],
                    verdict: Verdict.decide(log10LR: lr, options: options, bounds: fitted.bounds, sufficient: reasons.isEmpty),
                    inconclusiveReasons: reasons.isEmpty ? nil : reasons))
            }
        }
        return results
    }
}
