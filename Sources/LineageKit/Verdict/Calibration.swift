import Foundation

/// Labelled pairs, in the format of AlpacaEval's `pairs.json`.
public struct LabelledPairs: Sendable, Codable {
    public var candidates: [String]
    public var pairs: [LabelledPair]

    public static func load(path: String) throws -> LabelledPairs {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "cannot read: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(LabelledPairs.self, from: data) } catch {
            throw InputError(.malformedJSON, at: SourceLocation(path: path),
                             "not a pairs file ({\"candidates\": [...], \"pairs\": [{\"student\", \"teacher\", \"distilled\"}]}): \(error)")
        }
    }
}

public struct LabelledPair: Sendable, Codable, Equatable {
    public var student: String
    public var teacher: String
    public var distilled: Bool
    public var evidence: String?
}

/// How well a configuration separates distilled from independent pairs, out of sample
/// (leave one student out: each student's pairs are judged by a map fitted without that student).
public struct CalibrationMetrics: Sendable, Codable, Equatable {
    public var pairs: Int
    public var distilledPairs: Int
    public var independentPairs: Int
    public var auc: Double
    public var cllr: Double
    public var cllrMin: Double
    public var equalErrorRate: Double
    /// Independent pairs that got `distilled` (the false-positive count), and distilled pairs that did not.
    public var falseDistilled: Int
    public var missedDistilled: Int
    public var inconclusive: Int
    /// Distilled students whose labelled teacher ranks first among their labelled candidates.
    public var rightTeacherFirst: Int
    public var distilledStudents: Int

    enum CodingKeys: String, CodingKey {
        case pairs, distilledPairs = "distilled_pairs", independentPairs = "independent_pairs", auc, cllr
        case cllrMin = "cllr_min", equalErrorRate = "equal_error_rate", falseDistilled = "false_distilled"
        case missedDistilled = "missed_distilled", inconclusive
        case rightTeacherFirst = "right_teacher_first", distilledStudents = "distilled_students"
    }
}

/// One labelled pair's score and out-of-sample likelihood ratio (the data of the Tippett plot).
public struct CalibratedPair: Sendable, Codable, Equatable {
    public var student: String
    public var teacher: String
    public var distilled: Bool
    public var score: Double
    public var log10LikelihoodRatio: Double
    public var pValueHolm: Double
    public var verdict: Verdict

    enum CodingKeys: String, CodingKey {
        case student, teacher, distilled, score, log10LikelihoodRatio = "log10_likelihood_ratio"
        case pValueHolm = "p_value_holm", verdict
    }
}

/// The fitted score → log10 LR map of one configuration (probe set, panel, embedding model), with its
/// measured error rates. Written by `lineage calibrate`; the file's SHA-256 goes into every result.
public struct Calibration: Sendable, Codable, Equatable {
    public var map: LikelihoodRatioCalibration
    public var metrics: CalibrationMetrics
    public var pairs: [CalibratedPair]
    public var probeSetSHA256: String
    public var embeddingModelSHA256: String
    public var panel: [String]
    /// Panel files left out as repeats of another panel file (absent when none; the labelled models, which
    /// are always left out of their own panel, are not listed).
    public var panelExcluded: [PanelExclusion]? = nil
    public var options: AttributionOptions
    /// Where it was read from and the hash of those bytes (not part of the file itself).
    public var path: String = ""
    public var sha256: String = ""

    enum CodingKeys: String, CodingKey {
        case map, metrics, pairs, probeSetSHA256 = "probe_set_sha256"
        case embeddingModelSHA256 = "embedding_model_sha256", panel, panelExcluded = "panel_excluded", options
    }

    public var reference: CalibrationReference {
        CalibrationReference(path: path, sha256: sha256, map: map, errorRates: metrics)
    }

    /// The reference for a run on `probeSet` with `model` against `panel`, naming every way the run's
    /// configuration differs from the one this calibration was fitted on.
    func reference(probeSet: ProbeSet, model: EmbeddingModel, panel: [String]) -> CalibrationReference {
        var result = reference
        guard metrics.pairs > 0 else { return result }
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
        map: LikelihoodRatioCalibration(intercept: 0, slope: 0, lowerBound: 0, upperBound: 0,
                                        distilledPairs: 0, independentPairs: 0),
        metrics: CalibrationMetrics(pairs: 0, distilledPairs: 0, independentPairs: 0, auc: .nan, cllr: .nan,
                                    cllrMin: .nan, equalErrorRate: .nan, falseDistilled: 0, missedDistilled: 0,
                                    inconclusive: 0, rightTeacherFirst: 0, distilledStudents: 0),
        pairs: [], probeSetSHA256: "", embeddingModelSHA256: "", panel: [], options: AttributionOptions(),
        path: "(none)", sha256: "")

    public static func load(path: String) throws -> Calibration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "cannot read: \(error.localizedDescription)")
        }
        var calibration: Calibration
        do { calibration = try JSONDecoder().decode(Calibration.self, from: data) } catch {
            throw InputError(.malformedJSON, at: SourceLocation(path: path), "not a calibration file: \(error)")
        }
        calibration.path = path
        calibration.sha256 = SHA256Digest.hex(of: data)
        return calibration
    }

    /// Fits the map on labelled pairs, measuring error rates leave-one-student-out.
    /// - Parameters:
    ///   - recordings: a folder holding `<model>.jsonl` (or `.json`, `.csv`) for every model the pairs name.
    public static func fit(pairs labelled: LabelledPairs, recordings: String, panel: [String], probeSet: ProbeSet,
                           model: EmbeddingModel, options: AttributionOptions = AttributionOptions(),
                           probeSample: Int? = nil, cache: EmbeddingCache? = nil,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> Calibration {
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
        progress?("embedding \(names.count + panelRecordings.count) recordings")
        let all = names.compactMap { recordingsByName[$0] } + panelRecordings
        let context = ScoringContext(recordings: all, embedder: Embedder(model: model),
                                     cache: cache.map { ($0, probeSet, nil) })
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let panelIndices = Array(names.count..<all.count)
        progress?("scoring \(labelled.pairs.count) labelled pairs")
        // A seeded random subset of probes, for the probe-count study (how the error rates degrade).
        var subset: [Int]? = nil
        if let probeSample, probeSample < probeSet.probes.count {
            var generator = SeededGenerator(seed: options.seed)
            var order = Array(0..<probeSet.probes.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.index(below: i + 1)) }
            subset = Array(order.prefix(max(1, probeSample))).sorted()
        }
        let scored = labelled.pairs.compactMap { pair -> (LabelledPair, ImpostorScore)? in
            guard let s = index[pair.student], let t = index[pair.teacher] else { return nil }
            return (pair, ImpostorScore.compute(context.tensor, student: s, candidate: t, panel: panelIndices, over: subset))
        }
        let students = Array(Set(scored.map(\.0.student))).sorted()
        var results: [CalibratedPair] = []
        for student in students {
            let training = scored.filter { $0.0.student != student }
            let map = LikelihoodRatioCalibration.fit(scores: training.map(\.1.score), labels: training.map(\.0.distilled))
            let own = scored.filter { $0.0.student == student }
            let adjusted = MultipleTesting.holm(own.map(\.1.pValue))
            for (k, (pair, score)) in own.enumerated() {
                let lr = map.log10LikelihoodRatio(score.score)
                results.append(CalibratedPair(student: pair.student, teacher: pair.teacher, distilled: pair.distilled,
                                              score: score.score, log10LikelihoodRatio: lr, pValueHolm: adjusted[k],
                                              verdict: Verdict.decide(log10LR: lr, adjustedPValue: adjusted[k], options: options,
                                                                      bounds: map.bounds)))
            }
        }
        let map = LikelihoodRatioCalibration.fit(scores: scored.map(\.1.score), labels: scored.map(\.0.distilled))
        let repeats = selection.excluded.filter { $0.reason != .underTest }
        return Calibration(map: map, metrics: metrics(results), pairs: results, probeSetSHA256: probeSet.sha256,
                           embeddingModelSHA256: model.sha256, panel: panelRecordings.map(\.model).sorted(),
                           panelExcluded: repeats.isEmpty ? nil : repeats,
                           options: options)
    }

    static func metrics(_ results: [CalibratedPair]) -> CalibrationMetrics {
        let labels = results.map(\.distilled)
        let scores = results.map(\.score)
        let distilledStudents = Set(results.filter(\.distilled).map(\.student))
        let rightFirst = distilledStudents.filter { student in
            let own = results.filter { $0.student == student }
            guard let best = own.max(by: { ($0.score, $1.teacher) < ($1.score, $0.teacher) }) else { return false }
            return best.distilled
        }.count
        return CalibrationMetrics(
            pairs: results.count, distilledPairs: labels.filter { $0 }.count,
            independentPairs: labels.filter { !$0 }.count,
            auc: DiscriminationMetrics.auc(scores: scores, labels: labels),
            cllr: DiscriminationMetrics.cllr(log10LR: results.map(\.log10LikelihoodRatio), labels: labels),
            cllrMin: DiscriminationMetrics.cllrMin(scores: scores, labels: labels),
            equalErrorRate: DiscriminationMetrics.equalErrorRate(scores: scores, labels: labels),
            falseDistilled: results.filter { !$0.distilled && $0.verdict == .distilled }.count,
            missedDistilled: results.filter { $0.distilled && $0.verdict != .distilled }.count,
            inconclusive: results.filter { $0.verdict == .inconclusive }.count,
            rightTeacherFirst: rightFirst, distilledStudents: distilledStudents.count)
    }
}
