import Foundation
import Testing
@testable import LineageKit

@Suite("Verdict decision and calibration metrics")
struct VerdictDecisionTests {
    let options = AttributionOptions()

    @Test("the likelihood ratio alone decides; evidence the calibration does not cover is inconclusive")
    func likelihoodRatioDecides() {
        #expect(Verdict.decide(log10LR: 1.5, options: options) == .distilled)
        #expect(Verdict.decide(log10LR: 0.5, options: options) == .inconclusive)
        #expect(Verdict.decide(log10LR: -1.2, options: options) == .notDistilled)
        #expect(Verdict.decide(log10LR: 1.5, options: options, sufficient: false) == .inconclusive)
        #expect(Verdict.decide(log10LR: -1.5, options: options, sufficient: false) == .inconclusive)
    }

    @Test func boundsNearerThanTheThresholdCountAsReached() {
        // A calibration on 6 distilled pairs cannot say less than 1:7; reaching that bound is "not distilled".
        let bounds = -0.85...1.94
        #expect(Verdict.decide(log10LR: -0.85, options: options, bounds: bounds) == .notDistilled)
        #expect(Verdict.decide(log10LR: -0.5, options: options, bounds: bounds) == .inconclusive)
        // An uncalibrated map (bounds 0...0) never decides.
        #expect(Verdict.decide(log10LR: 0, options: options, bounds: 0...0) == .inconclusive)
    }

    static func pair(_ s: String, _ t: String, _ d: Bool, _ score: Double, _ verdict: Verdict,
                     _ tier: String? = nil) -> CalibratedPair {
        CalibratedPair(student: s, teacher: t, distilled: d, confidence: tier, score: score, log10LikelihoodRatio: score,
                       features: [score], pValueHolm: 0.5, verdict: verdict)
    }

    @Test func metricsCountRightTeacherAndBothErrors() {
        let pairs = [
            Self.pair("a", "t1", true, 2, .distilled), Self.pair("a", "t2", false, 1, .inconclusive),
            Self.pair("b", "t1", false, 3, .distilled), Self.pair("b", "t2", true, 0.5, .notDistilled),
            Self.pair("c", "t1", false, -1, .notDistilled),
        ]
        let metrics = CalibrationMetrics.of(pairs)
        #expect(metrics.rightTeacherFirst == 1)
        #expect(metrics.distilledStudents == 2)
        #expect(metrics.falseDistilled == 1)
        #expect(metrics.falseNotDistilled == 1)
        #expect(metrics.trueDistilled == 1)
        #expect(metrics.missedDistilled == 1)
        #expect(metrics.inconclusive == 1)
        #expect(abs(metrics.falseDistilledRate - 1.0 / 3) < 1e-12)
        #expect(abs(metrics.auc - 0.5) < 1e-12)  // wins: 2>1, 2>−1, 0.5>−1 of 6 pairs
    }

    @Test("error rates by student count a student once, however many of its pairs erred")
    func metricsCountErrorsByStudent() throws {
        let pairs = [
            Self.pair("a", "t1", false, 3, .distilled), Self.pair("a", "t2", false, 2, .distilled),
            Self.pair("a", "t3", true, 0, .notDistilled), Self.pair("a", "t4", true, 0, .notDistilled),
            Self.pair("b", "t1", false, -1, .notDistilled), Self.pair("b", "t2", true, 2, .distilled),
            Self.pair("c", "t1", false, 2, .distilled),
        ]
        let metrics = CalibrationMetrics.of(pairs)
        #expect(metrics.falseDistilled == 3 && metrics.falseNotDistilled == 2)
        #expect(metrics.independentStudents == 3 && metrics.studentsFalseDistilled == 2)
        #expect(metrics.distilledStudents == 2 && metrics.studentsFalseNotDistilled == 1)
        let byStudent = try #require(metrics.byStudent)
        #expect(byStudent.falseDistilledUpper95 == BinomialBound.upper95(2, of: 3))
        #expect(byStudent.falseNotDistilledUpper95 == BinomialBound.upper95(1, of: 2))
    }

    @Test("a calibration file written before the by-student counts reads, and says nothing by student")
    func metricsWithoutStudentCountsRead() throws {
        var metrics = CalibrationMetrics.of([Self.pair("a", "t1", true, 2, .distilled), Self.pair("b", "t1", false, 3, .distilled)])
        (metrics.independentStudents, metrics.studentsFalseDistilled, metrics.studentsFalseNotDistilled) = (nil, nil, nil)
        let data = try JSONOutput.data(metrics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["students_false_distilled"] == nil && object["students_false_distilled_upper_95"] == nil)
        let read = try JSONOutput.decode(CalibrationMetrics.self, from: data)
        #expect(read == metrics && read.byStudent == nil)
    }

    @Test("metrics JSON carries both error rates' 95 % upper bounds and reads back as the same metrics")
    func metricsJSONCarriesBounds() throws {
        let metrics = CalibrationMetrics.of([
            Self.pair("a", "t1", true, 2, .distilled), Self.pair("b", "t1", false, 3, .distilled),
            Self.pair("c", "t1", false, -1, .notDistilled),
        ])
        let data = try JSONOutput.data(metrics)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // (JSONSerialization's number parsing may differ from the encoder's in the last bit.)
        #expect(abs((object["false_distilled_upper_95"] as? Double ?? .nan) - BinomialBound.upper95(1, of: 2)) < 1e-12)
        #expect(abs((object["false_not_distilled_upper_95"] as? Double ?? .nan) - BinomialBound.upper95(0, of: 1)) < 1e-12)
        #expect(object["students_false_distilled"] as? Int == 1 && object["independent_students"] as? Int == 2)
        #expect(abs((object["students_false_distilled_upper_95"] as? Double ?? .nan) - BinomialBound.upper95(1, of: 2)) < 1e-12)
        #expect(try JSONOutput.decode(CalibrationMetrics.self, from: data) == metrics)
    }

    @Test("within-teacher AUC ranks each teacher's pairs alone, and skips a teacher with no pairs of one kind")
    func withinTeacherDiscrimination() {
        let pairs = [
            Self.pair("a", "t1", true, 2, .distilled), Self.pair("b", "t1", false, 3, .distilled),
            Self.pair("c", "t1", false, -1, .notDistilled), Self.pair("a", "t2", false, 1, .inconclusive),
            Self.pair("b", "t2", true, 0.5, .inconclusive), Self.pair("c", "t3", false, 0, .inconclusive),
        ]
        let rows = TeacherDiscrimination.byTeacher(pairs)
        #expect(rows.map(\.teacher) == ["t1", "t2"])  // t3 has no distilled pair
        #expect(rows[0].distilledPairs == 1 && rows[0].independentPairs == 2 && abs(rows[0].auc - 0.5) < 1e-12)
        #expect(rows[1].auc == 0)  // its one distilled pair scores below its one independent pair
    }

    @Test("a tier's teacher ranking is over all of its students' pairs, whatever their tier")
    func tiersRankOverEveryPairOfAStudent() {
        // d's distilled pair is medium, its independent pairs high; the high pair outscores the teacher.
        let pairs = [
            Self.pair("d", "t1", true, 1, .inconclusive, "medium"), Self.pair("d", "t2", false, 2, .distilled, "high"),
            Self.pair("e", "t1", true, 3, .distilled, "high"), Self.pair("e", "t2", false, 0, .inconclusive, "high"),
        ]
        let tiers = CalibrationMetrics.byTier(pairs)
        #expect(tiers.map(\.tier) == ["all", "high", "medium"])
        #expect(tiers[0].rightTeacherFirst == 1)
        #expect(tiers[2].distilledStudents == 1 && tiers[2].rightTeacherFirst == 0)
        #expect(tiers[1].pairs == 3 && tiers[1].falseDistilled == 1)
    }

    @Test("too few probes, too small a panel, unusual lengths and echoed prompts are each named as a reason")
    func sufficiencyNamesItsReasons() {
        let supported = EvidenceSufficiency(minimumProbes: 400, medianCharactersLow: 100, medianCharactersHigh: 4000,
                                            maximumEchoShare: 0.25, minimumPanel: 24)
        let normal = AnswerProfile(answered: 805, medianCharacters: 900, echoShare: 0)
        #expect(supported.reasons(comparedProbes: 805, panelSize: 32, student: normal, candidate: normal, studentName: "s", candidateName: "t").isEmpty)
        #expect(supported.reasons(comparedProbes: 2, panelSize: 32, student: normal, candidate: normal, studentName: "s", candidateName: "t").count == 1)
        // A panel of 24 of the 32 is enough; 23 is not, and says so. A calibration of before the panel rule has none.
        #expect(supported.reasons(comparedProbes: 805, panelSize: 24, student: normal, candidate: normal, studentName: "s", candidateName: "t").isEmpty)
        let small = supported.reasons(comparedProbes: 805, panelSize: 23, student: normal, candidate: normal, studentName: "s", candidateName: "t")
        #expect(small == ["the panel has 23 models; the calibration's error rates hold for a panel of 24 or more (a smaller panel makes every pair look more alike)"])
        var older = supported
        older.minimumPanel = nil
        #expect(older.reasons(comparedProbes: 805, panelSize: 5, student: normal, candidate: normal, studentName: "s", candidateName: "t").isEmpty)
        #expect(EvidenceSufficiency.fitted(probes: 805, profiles: [normal], panel: 32).minimumPanel == 24)
        #expect(EvidenceSufficiency.fitted(probes: 300, profiles: [normal], panel: 5).minimumPanel == 4)
        let echo = AnswerProfile(answered: 805, medianCharacters: 900, echoShare: 0.9)
        #expect(supported.reasons(comparedProbes: 805, panelSize: 32, student: echo, candidate: normal, studentName: "s", candidateName: "t")
            .contains { $0.contains("repeat the prompt") })
        let terse = AnswerProfile(answered: 805, medianCharacters: 3, echoShare: 0)
        #expect(supported.reasons(comparedProbes: 805, panelSize: 32, student: terse, candidate: normal, studentName: "s", candidateName: "t")
            .contains { $0.contains("median length") })
        // The reason shows the median and the bounds rounded, as the ranking table shows the median.
        let between = EvidenceSufficiency(minimumProbes: 400, medianCharactersLow: 990.6, medianCharactersHigh: 1999.5,
                                          maximumEchoShare: 0.25, minimumPanel: 24)
        let halfway = AnswerProfile(answered: 805, medianCharacters: 987.5, echoShare: 0)
        #expect(between.reasons(comparedProbes: 805, panelSize: 32, student: halfway, candidate: AnswerProfile(answered: 805, medianCharacters: 1500, echoShare: 0),
                                studentName: "s", candidateName: "t")
            == ["s's answers have a median length of 988 characters, outside the 991–2000 the calibration covers"])
        #expect(halfway.wholeMedianCharacters == 988)
        #expect(AnswerProfile.echoes("  Write a poem.\n", prompt: "write a poem."))
        #expect(!AnswerProfile.echoes("Roses are red, violets are blue, and so on for a while.", prompt: "Write a poem."))
    }

    @Test("the ASCII echo check gives what trimming and case folding through Foundation give")
    func asciiEchoesMatchFoundation() {
        func foundation(_ answer: String, _ prompt: String) -> Bool {
            let a = answer.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let p = prompt.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return !p.isEmpty && (a == p || (a.hasPrefix(p) && a.count <= p.count + 20))
        }
        let prompts = ["Write a poem.", "  write A POEM.\t", "", " \n ", "List 3 fruits\r\n"]
        let answers = ["write a poem.", "WRITE A POEM. Sure!", "Write a poem." + String(repeating: "x", count: 20),
                       "Write a poem." + String(repeating: "x", count: 21), "Write a poem.\r\n\r\n" + String(repeating: "y", count: 19),
                       "Write a poem." + String(repeating: "\r\n", count: 20) + "z", "Write a poe", "", "\u{0B}write a poem.\u{0C}",
                       "list 3 fruits\r\napple", "Write a poem.\u{85}"]
        for prompt in prompts {
            for answer in answers {
                let bytes = AnswerProfile.asciiEchoes(Array(answer.utf8), prompt: Array(prompt.utf8))
                if answer.utf8.allSatisfy({ $0 < 0x80 }) && prompt.utf8.allSatisfy({ $0 < 0x80 }) {
                    #expect(bytes == foundation(answer, prompt), "\(answer.debugDescription) / \(prompt.debugDescription)")
                } else {
                    #expect(bytes == nil)
                }
                #expect(AnswerProfile.echoes(answer, prompt: prompt) == foundation(answer, prompt))
            }
        }
    }

    @Test func featureNamesRoundTrip() throws {
        for feature in EvidenceFeature.standard { #expect(EvidenceFeature(name: feature.description) == feature) }
        #expect(EvidenceFeature(name: "char") == nil)  // a content family is only weighed through `ngram`
        #expect(throws: AttributionError.self) { try EvidenceFeature.parse(["edges", "nonsense"]) }
    }
}
