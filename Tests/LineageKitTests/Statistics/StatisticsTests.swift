import Foundation
import Testing
@testable import LineageKit

@Suite("Statistics")
struct StatisticsTests {
    @Test func holmMatchesHandWorkedExample() {
        // p = (0.01, 0.04, 0.03, 0.005): sorted 0.005·4=0.02, 0.01·3=0.03, 0.03·2=0.06, 0.04·1=0.04→0.06.
        let adjusted = MultipleTesting.holm([0.01, 0.04, 0.03, 0.005])
        #expect(zip(adjusted, [0.03, 0.06, 0.06, 0.02]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func aucCountsTiesAsHalf() {
        #expect(DiscriminationMetrics.auc(scores: [3, 2, 1, 0], labels: [true, true, false, false]) == 1)
        #expect(DiscriminationMetrics.auc(scores: [1, 1], labels: [true, false]) == 0.5)
        #expect(abs(DiscriminationMetrics.auc(scores: [3, 1, 2, 0], labels: [true, true, false, false]) - 0.75) < 1e-12)
    }

    @Test func cllrIsOneForUninformativeAndSmallForGoodRatios() {
        let labels = [true, true, false, false]
        #expect(abs(DiscriminationMetrics.cllr(log10LR: [0, 0, 0, 0], labels: labels) - 1) < 1e-12)
        #expect(DiscriminationMetrics.cllr(log10LR: [3, 3, -3, -3], labels: labels) < 0.01)
        #expect(DiscriminationMetrics.cllr(log10LR: [-3, -3, 3, 3], labels: labels) > 5)
        // Perfectly separated scores: Cllr_min is 0.
        #expect(DiscriminationMetrics.cllrMin(scores: [5, 4, 1, 0], labels: labels) < 1e-6)
    }

    @Test func equalErrorRateOfSeparatedAndOverlappingScores() {
        #expect(DiscriminationMetrics.equalErrorRate(scores: [5, 4, 1, 0], labels: [true, true, false, false]) == 0)
        let eer = DiscriminationMetrics.equalErrorRate(scores: [4, 1, 3, 0], labels: [true, true, false, false])
        #expect(eer > 0.2 && eer < 0.8)
    }

    @Test func isotonicRegressionIsMonotone() {
        let fitted = IsotonicRegression.fit(scores: [1, 2, 3, 4, 5], labels: [false, true, false, true, true])
        #expect(fitted == [0, 0.5, 0.5, 1, 1])
    }

    @Test func likelihoodRatioMapIsIncreasingAndBounded() {
        let scores: [Double] = [-1, -0.5, 0, 0.3, 1.5, 2, 3, 4]
        let labels = [false, false, false, false, true, false, true, true]
        let map = LikelihoodRatioFusion.fit(features: ["ngram"], rows: scores.map { [$0] }, labels: labels)
        #expect(map.weights[0] > 0)
        #expect(map.log10LikelihoodRatio([4]) > map.log10LikelihoodRatio([0]))
        #expect(map.log10LikelihoodRatio([1e6]) == map.upperBound)
        #expect(abs(map.upperBound - log10(6)) < 1e-12)  // 5 independent pairs: at most 6:1
        #expect(abs(map.lowerBound + log10(4)) < 1e-12)  // 3 distilled pairs: at least 1:4
        #expect(map.log10LikelihoodRatio([-1e6]) == map.lowerBound)
    }

    @Test("fusion weighs the informative feature and ignores noise; prior weighting makes class sizes irrelevant")
    func fusionWeighsInformativeFeatures() {
        // Feature 0 separates the classes, feature 1 is the same in both.
        var rows: [[Double]] = [], labels: [Bool] = []
        for k in 0..<40 {
            let positive = k % 4 == 0
            rows.append([positive ? 2 + Double(k % 3) * 0.5 : Double(k % 5) * 0.3 - 0.6, Double(k % 7)])
            labels.append(positive)
        }
        let map = LikelihoodRatioFusion.fit(features: ["ngram", "edges"], rows: rows, labels: labels, ridge: 0.01)
        #expect(map.weights[0] > 1)
        #expect(abs(map.weights[1]) < 0.2 * map.weights[0])
        // Doubling every negative leaves a prior-weighted fit where it was. On overlapping classes the
        // fit needs no ridge; the slope is compared in raw units (the standardisation moves with the sample).
        let y: [Bool] = (0..<30).map { $0 % 3 == 0 }
        let x: [Double] = (0..<30).map { k -> Double in
            let base = Double(k % 5) * 0.5
            return y[k] ? base + 0.8 : base
        }
        let once = LikelihoodRatioFusion.fit(features: ["ngram"], rows: x.map { [$0] }, labels: y, ridge: 1e-12)
        let twice = LikelihoodRatioFusion.fit(features: ["ngram"], rows: (x + zip(x, y).filter { !$1 }.map(\.0)).map { [$0] },
                                              labels: y + y.filter { !$0 }, ridge: 1e-12)
        let slope = once.weights[0] / once.scales[0], doubledSlope = twice.weights[0] / twice.scales[0]
        #expect(slope > 0)
        #expect(abs(doubledSlope - slope) < 1e-6 * slope)
        // A stronger ridge shrinks the weights.
        let shrunk = LikelihoodRatioFusion.fit(features: ["ngram", "edges"], rows: rows, labels: labels, ridge: 1)
        #expect(shrunk.weights[0] < map.weights[0])
    }

    @Test("a suppressor gets a negative weight only when the sign is free; non-negative holds it at 0 and keeps it named")
    func nonNegativeFusionHoldsASuppressorAtZero() {
        // Feature 0 = class signal + a nuisance; feature 1 = the nuisance alone. A free fit subtracts the
        // nuisance with a negative weight on feature 1 (a suppressor); the non-negative fit may not.
        var rows: [[Double]] = [], labels: [Bool] = []
        var generator = SeededGenerator(seed: 7)
        for k in 0..<120 {
            let positive = k % 4 == 0, nuisance = 2 * generator.unit() - 1
            rows.append([(positive ? 1 : 0) + nuisance + 0.3 * generator.unit(), nuisance])
            labels.append(positive)
        }
        let free = LikelihoodRatioFusion.fit(features: ["ngram", "shape"], rows: rows, labels: labels, weightSign: .free)
        let held = LikelihoodRatioFusion.fit(features: ["ngram", "shape"], rows: rows, labels: labels)
        #expect(held.weightSign == .nonNegative)
        #expect(free.weights[1] < -0.5 && free.weights[0] > 0)
        #expect(held.weights[1] == 0 && held.weights[0] > 0)
        #expect(held.features == ["ngram", "shape"])
        // Held at 0, the map is the one-feature fit of feature 0 (same standardisation, same optimum).
        let alone = LikelihoodRatioFusion.fit(features: ["ngram"], rows: rows.map { [$0[0]] }, labels: labels)
        #expect(abs(held.weights[0] - alone.weights[0]) < 1e-9 && abs(held.intercept - alone.intercept) < 1e-9)
        // Where the free optimum has no negative weight, the constraint changes nothing.
        let informative = rows.enumerated().map { [$1[0], labels[$0] ? 1 + generator.unit() : generator.unit()] }
        let a = LikelihoodRatioFusion.fit(features: ["ngram", "edges"], rows: informative, labels: labels, weightSign: .free)
        let b = LikelihoodRatioFusion.fit(features: ["ngram", "edges"], rows: informative, labels: labels)
        #expect(a.weights.allSatisfy { $0 > 0 } && a.weights == b.weights && a.intercept == b.intercept)
    }

    @Test("a map file written before the sign constraint reads as fitted free")
    func fusionWithoutWeightSignDecodesAsFree() throws {
        let map = LikelihoodRatioFusion.fit(features: ["ngram"], rows: [[0], [1], [2], [3]], labels: [false, false, true, true])
        var object = try #require(try JSONSerialization.jsonObject(with: JSONOutput.data(map)) as? [String: Any])
        #expect(object["weight_sign"] as? String == "non-negative")
        object["weight_sign"] = nil
        let old = try JSONOutput.decode(LikelihoodRatioFusion.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.weightSign == .free && old.weights == map.weights)
    }

    @Test func smallCholeskySolvesAPositiveDefiniteSystem() throws {
        // [[4, 2], [2, 3]] x = [2, 5]  →  x = [-0.5, 2]
        let x = try #require(SmallCholesky.solve([4, 2, 2, 3], [2, 5], size: 2))
        #expect(abs(x[0] + 0.5) < 1e-12 && abs(x[1] - 2) < 1e-12)
        #expect(SmallCholesky.solve([1, 2, 2, 1], [1, 1], size: 2) == nil)  // not positive definite
    }

    @Test func studentTUpperTailMatchesTables() {
        // t = 2.228, 10 df: two-sided 0.05 → upper tail 0.025.
        #expect(abs(StudentT.upperTail(2.228, degrees: 10) - 0.025) < 2e-4)
        #expect(abs(StudentT.upperTail(0, degrees: 5) - 0.5) < 1e-12)
        #expect(abs(StudentT.upperTail(-1.5, degrees: 7) - (1 - StudentT.upperTail(1.5, degrees: 7))) < 1e-12)
    }

    @Test func signFlipDetectsShiftAndIsDeterministic() {
        var generator = SeededGenerator(seed: 1)
        let shifted = (0..<200).map { _ in generator.unit() - 0.3 }
        let centred = (0..<200).map { _ in generator.unit() - 0.5 }
        #expect(ResamplingTests.signFlipPValue(shifted, resamples: 500, seed: 2) < 0.01)
        #expect(ResamplingTests.signFlipPValue(centred, resamples: 500, seed: 2) > 0.01)
        #expect(ResamplingTests.signFlipPValue(centred, resamples: 500, seed: 2)
                == ResamplingTests.signFlipPValue(centred, resamples: 500, seed: 2))
    }

    @Test func bootstrapIntervalCoversTheMean() {
        let values = (0..<100).map { Double($0) }
        let interval = ResamplingTests.bootstrapMeanInterval(values, resamples: 500, seed: 3)
        #expect(interval.low < 49.5 && interval.high > 49.5 && interval.high - interval.low < 20)
    }

    @Test func seededGeneratorIsStable() {
        var generator = SeededGenerator(seed: 0)
        // SplitMix64 reference outputs for seed 0.
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        var bounded = SeededGenerator(seed: 9)
        #expect((0..<1000).allSatisfy { _ in bounded.index(below: 7) < 7 })
    }
}

@Suite("Impostor score and MMD")
struct ImpostorScoreTests {
    /// Models as noisy copies of base directions: the student copies the teacher's direction.
    static func embeddings(probes: Int, dims: Int, seed: UInt64) -> [Matrix] {
        var generator = SeededGenerator(seed: seed)
        func gaussian() -> Float {
            let u = max(generator.unit(), 1e-12), v = generator.unit()
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        let common = (0..<(probes * dims)).map { _ in gaussian() }
        let teacherOwn = (0..<(probes * dims)).map { _ in gaussian() }
        func model(_ own: Float, teacher: Float) -> Matrix {
            var values = [Float](repeating: 0, count: probes * dims)
            for i in values.indices { values[i] = common[i] + teacher * teacherOwn[i] + own * gaussian() }
            for p in 0..<probes {
                let row = values[(p * dims)..<((p + 1) * dims)]
                let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for k in 0..<dims { values[p * dims + k] /= norm }
            }
            return Matrix(rows: probes, columns: dims, values: values)
        }
        // 0: student, 1: teacher, 2: unrelated candidate, 3...: panel
        return [model(1, teacher: 1), model(1, teacher: 1), model(1, teacher: 0)] + (0..<10).map { _ in model(1, teacher: 0) }
    }

    @Test func teacherScoresAboveUnrelatedCandidate() {
        let embeddings = Self.embeddings(probes: 60, dims: 16, seed: 5)
        let answered = embeddings.map { _ in [Bool](repeating: true, count: 60) }
        let tensor = ProbeSimilarityTensor(embeddings: embeddings, answered: answered)
        let panel = Array(3..<embeddings.count)
        let teacher = ImpostorScore.compute(tensor, student: 0, candidate: 1, panel: panel)
        let unrelated = ImpostorScore.compute(tensor, student: 0, candidate: 2, panel: panel)
        #expect(teacher.score > 3)
        #expect(abs(unrelated.score) < 3)
        #expect(teacher.pValue < 0.01)
        #expect(teacher.rankPValue == 1.0 / 11)
        #expect(teacher.probesClosestToCandidate > 30)
        let interval = ImpostorScore.bootstrapInterval(tensor, student: 0, candidate: 1, panel: panel, resamples: 50, seed: 1)
        #expect(interval.low < teacher.score && teacher.score < interval.high)
    }

    @Test("the bootstrap's one-dgemm resampling gives, bit for bit, the scores of each drawn probe list")
    func bootstrapMatchesDrawnProbeLists() {
        // Grid-rounded rows (multiples of 2⁻¹⁰), as every embedding is, and some unanswered probes.
        let embeddings = Self.embeddings(probes: 40, dims: 12, seed: 8).map { matrix in
            Matrix(rows: matrix.rows, columns: matrix.columns, values: matrix.values.map { ($0 * 1024).rounded() / 1024 })
        }
        var answered = embeddings.map { _ in [Bool](repeating: true, count: 40) }
        answered[0][3] = false
        answered[1][7] = false
        answered[5][11] = false
        let tensor = ProbeSimilarityTensor(embeddings: embeddings, answered: answered)
        let panel = Array(3..<embeddings.count)
        let resamples = 200, seed: UInt64 = 11
        var generator = SeededGenerator(seed: seed)
        let reference = (0..<resamples).map { _ -> Double in
            let subset = (0..<tensor.probes).map { _ in generator.index(below: tensor.probes) }
            return ImpostorScore.compute(tensor, student: 0, candidate: 1, panel: panel, over: subset).score
        }.sorted()
        let interval = ImpostorScore.bootstrapInterval(tensor, student: 0, candidate: 1, panel: panel,
                                                       resamples: resamples, seed: seed)
        let alpha = (1 - 0.95) / 2
        #expect(interval.low == Descriptive.quantile(sorted: reference, alpha))
        #expect(interval.high == Descriptive.quantile(sorted: reference, 1 - alpha))
        #expect(interval.low < interval.high)
    }

    @Test func tensorMatchesDirectDotProducts() {
        let embeddings = Self.embeddings(probes: 5, dims: 8, seed: 6)
        var answered = embeddings.map { _ in [Bool](repeating: true, count: 5) }
        answered[1][2] = false
        let tensor = ProbeSimilarityTensor(embeddings: embeddings, answered: answered)
        let direct = zip(embeddings[0].row(3), embeddings[1].row(3)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(tensor.cosine(0, 1, probe: 3) - direct) < 1e-5)
        #expect(tensor.comparableProbes(0, 1) == [0, 1, 3, 4])
    }

    @Test func mmdSeparatesDifferentDistributionsOnly() {
        let embeddings = Self.embeddings(probes: 40, dims: 16, seed: 7)
        let all = Array(0..<40)
        let same = MaximumMeanDiscrepancy.compute(embeddings[3], embeddings[4], comparable: all, permutations: 100, seed: 1)
        let shifted = Matrix(rows: 40, columns: 16, values: embeddings[3].values.enumerated().map { $0.offset % 16 == 0 ? 1 : $0.element * 0.2 })
        let different = MaximumMeanDiscrepancy.compute(embeddings[3], shifted, comparable: all, permutations: 100, seed: 1)
        #expect(same.pValue > 0.05)
        #expect(different.pValue < 0.05)
        #expect(different.mmdSquared > same.mmdSquared)
        // Self-Grams passed in (packed, as a batch keeps them) give the same bits, all probes or a subset.
        let grams = (x: SymmetricMatrix(upperTriangleOf: BLAS.gram(embeddings[3])), y: SymmetricMatrix(upperTriangleOf: BLAS.gram(shifted)))
        for comparable in [all, all.filter { $0 % 3 != 1 }] {
            let computed = MaximumMeanDiscrepancy.compute(embeddings[3], shifted, comparable: comparable, permutations: 50, seed: 2)
            let given = MaximumMeanDiscrepancy.compute(embeddings[3], shifted, comparable: comparable, permutations: 50, seed: 2,
                                                       selfGrams: grams)
            #expect(computed == given)
        }
    }
}

@Suite("Prompt centring")
struct PromptCentringTests {
    @Test("what every pool answer shares is taken away; rows stay unit length and on the grid")
    func centringRemovesTheSharedPart() {
        // Probe 0: every model answers mostly along e0; models 0 and 1 also lean along e1, 2 and 3 along e2.
        func row(_ a: Float, _ b: Float, _ c: Float) -> [Float] {
            let n = (a * a + b * b + c * c).squareRoot()
            return [a / n, b / n, c / n]
        }
        let blocks = [row(1, 0.3, 0), row(1, 0.3, 0), row(1, 0, 0.3), row(1, 0, 0.3)].map { Matrix(rows: 1, columns: 3, values: $0) }
        let answered = Array(repeating: [true], count: 4)
        let raw = ProbeSimilarityTensor(embeddings: blocks, answered: answered)
        let centred = PromptCentring.centred(blocks, answered: answered, pool: [0, 1, 2, 3])
        let tensor = ProbeSimilarityTensor(embeddings: centred, answered: answered)
        #expect(raw.cosine(0, 2, probe: 0) > 0.9)              // raw: all alike
        #expect(tensor.cosine(0, 2, probe: 0) < -0.9)          // centred: opposite habits
        #expect(tensor.cosine(0, 1, probe: 0) > 0.99)          // the same habit
        for m in centred {
            let norm = m.values.reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 0.01)
            #expect(m.values.allSatisfy { ($0 * 1024).rounded() == $0 * 1024 })
        }
        // An unanswered row stays zero.
        let partial = PromptCentring.centred(blocks, answered: [[true], [true], [false], [true]], pool: [0, 1, 3])
        #expect(partial[2].values.allSatisfy { $0 == 0 })
    }
}

@Suite("Median by radix selection")
struct MedianSelectionTests {
    @Test("the radix-select median of non-negative floats equals the sorted type-7 median, odd and even counts, ties, zeros, wide ranges")
    func equalsSortedMedian() {
        var generator = SeededGenerator(seed: 5)
        for count in [1, 2, 3, 10, 11, 100, 1001, 100_000] {
            for spread in [7, 1_000_000, 1 << 30] {
                let values = (0..<count).map { _ in Float(generator.index(below: spread)) / 7 * (generator.coin() ? 1 : 1e-6) }
                let widened = values.map(Double.init).sorted()
                #expect(Descriptive.median(nonNegative: values) == Descriptive.quantile(sorted: widened, 0.5), "\(count) values below \(spread)")
            }
        }
        #expect(Descriptive.median(nonNegative: [0, 0, 0, 2]) == 0)
        #expect(Descriptive.median(nonNegative: []).isNaN)
    }
}
