import Foundation
import Testing
@testable import LineageKit

@Suite("Student bootstrap of the AUC")
struct StudentBootstrapTests {
    static func pair(_ student: String, _ distilled: Bool, _ score: Double) -> CalibratedPair {
        CalibratedPair(student: student, teacher: "t", distilled: distilled, confidence: nil, score: score,
                       log10LikelihoodRatio: score, features: [score], pValueHolm: 1, verdict: .inconclusive)
    }

    @Test("the sorted AUC counts ties half, as the pairwise one does")
    func sortedAUCMatchesPairwise() {
        var generator = SeededGenerator(seed: 7)
        let distilled = (0..<40).map { _ in Double(generator.index(below: 12)) }
        let independent = (0..<90).map { _ in Double(generator.index(below: 10)) }
        let pairwise = DiscriminationMetrics.auc(scores: distilled + independent,
                                                 labels: distilled.map { _ in true } + independent.map { _ in false })
        #expect(abs(StudentBootstrap.auc(distilled, independent) - pairwise) < 1e-12)
    }

    @Test("students, not pairs, are resampled: one student's many pairs widen the interval as one draw")
    func resamplesStudents() throws {
        // Four students separate perfectly; a fifth has many independent pairs above every distilled one.
        var pairs = (0..<4).flatMap { k in [Self.pair("s\(k)", true, 2), Self.pair("s\(k)", false, -1)] }
        let perfect = try #require(StudentBootstrap.aucInterval(pairs, seed: 1))
        #expect(perfect == 1...1)
        pairs += (0..<20).map { _ in Self.pair("odd", false, 3) }
        let interval = try #require(StudentBootstrap.aucInterval(pairs, seed: 1))
        #expect(interval.lowerBound < 0.3 && interval.upperBound == 1)  // resamples without "odd" separate perfectly
        #expect(StudentBootstrap.aucInterval(pairs, seed: 1) == interval)  // seeded: the same interval again
    }

    @Test func noIntervalWithoutBothKinds() {
        #expect(StudentBootstrap.aucInterval([Self.pair("a", true, 1), Self.pair("b", true, 2)], seed: 1) == nil)
    }

    @Test("the calibration's fused metrics carry the interval and read it back; a feature's row does not")
    func metricsCarryTheInterval() throws {
        let pairs = [Self.pair("a", true, 2), Self.pair("a", false, 0), Self.pair("b", true, 1), Self.pair("b", false, 1.5),
                     Self.pair("c", false, -1)]
        let metrics = CalibrationMetrics.of(pairs, intervalSeed: 20_251_122)
        let low = try #require(metrics.aucLow95), high = try #require(metrics.aucHigh95)
        #expect(low <= high && low >= 0 && high <= 1)
        #expect(try JSONOutput.decode(CalibrationMetrics.self, from: try JSONOutput.data(metrics)) == metrics)
        #expect(CalibrationMetrics.of(pairs).aucLow95 == nil)
    }
}
