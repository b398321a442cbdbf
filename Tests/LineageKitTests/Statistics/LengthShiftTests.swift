import Foundation
import Testing
@testable import LineageKit

@Suite("Statistics: length shift")
struct LengthShiftTests {
    /// `models` models on `probes` probes, model i's answer to every probe a unit vector in the plane at angle
    /// `angle(i)`; model i's log length `logLength(i)` on every probe.
    static func plane(models: Int, probes: Int, angle: (Int) -> Double) -> ProbeSimilarityTensor {
        let embeddings = (0..<models).map { i in
            Matrix(rows: probes, columns: 2, values: (0..<probes).flatMap { _ in [Float(cos(angle(i))), Float(sin(angle(i)))] })
        }
        return ProbeSimilarityTensor(embeddings: embeddings, answered: Array(repeating: Array(repeating: true, count: probes), count: models))
    }

    static let logLengths = (0..<12).map { i in Array(repeating: log1p(pow(2.2, Double(i))), count: 5) }

    @Test("cosines that fall with the length difference give a shift that falls from 0 and stays flat past the last edge")
    func fallingShift() throws {
        // Two answers' cosine is cos(0.3·h): h at most 7.9 here, so the cosine falls over the whole range.
        let tensor = Self.plane(models: 12, probes: 5) { 0.3 * Self.logLengths[$0][0] }
        let shift = LengthShift.fit(family: "ngram", tensor: tensor, panel: Array(0..<12), logLengths: Self.logLengths)
        #expect(shift.inconsistency == nil)
        #expect(shift.levels[0] == 0)
        #expect(zip(shift.levels, shift.levels.dropFirst()).allSatisfy { $0 > $1 }, "\(shift.levels)")
        #expect(shift.shift(0) == 0)
        #expect(shift.shift(1_000) == shift.levels[9] && shift.shift(shift.edges[8]) == shift.levels[9])
        #expect(shift.shift(shift.edges[0]) == shift.levels[1] && shift.shift(shift.edges[0].nextDown) == 0)
        // The shift at large h is about what the cosine loses there: well below 0, never below −2.
        #expect(shift.levels[9] < -0.5 && shift.levels[9] > -2)
    }

    @Test("cosines that do not depend on length give no shift at all")
    func noEffectNoShift() throws {
        let tensor = Self.plane(models: 12, probes: 5) { Double($0 % 2) * 0.5 }  // two groups, alike within each
        var generator = SeededGenerator(seed: 7)
        let shuffled = Self.logLengths.map { row in row.map { $0 + Double(generator.index(below: 1000)) / 100 } }
        let flat = Self.plane(models: 12, probes: 5) { _ in 0 }
        let none = LengthShift.fit(family: "edges", tensor: flat, panel: Array(0..<12), logLengths: shuffled)
        #expect(none.levels.allSatisfy { abs($0) < 1e-12 }, "\(none.levels)")
        // Only the panel's pairs count: models outside it (here the odd ones) never enter the fit.
        let evens = Array(stride(from: 0, to: 12, by: 2))
        let panelOnly = LengthShift.fit(family: "edges", tensor: tensor, panel: evens, logLengths: shuffled)
        #expect(panelOnly.levels.allSatisfy { abs($0) < 1e-12 }, "\(panelOnly.levels)")
    }

    @Test("a tensor less a per-pair offset: anchored and full agree bit for bit, unanswered pairs untouched")
    func subtracting() throws {
        let (_, e) = try ProbeSimilarityTensorTests.recordings()
        let full = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered))
        let anchored = ProbeSimilarityTensor(embeddings: e.map(\.embeddings), answered: e.map(\.answered), anchor: 4)
        let offset: (Int, Int, Int) -> Float = { i, j, p in Float(i + j) / 64 + Float(p) / 1024 }
        let a = full.subtracting(offset), b = anchored.subtracting(offset)
        for p in 0..<30 {
            for j in 0..<6 {
                #expect(a.cosine(4, j, probe: p).bitPattern == b.cosine(4, j, probe: p).bitPattern)
                let expected = full.isComparable(4, j, probe: p) ? full.cosine(4, j, probe: p) - offset(4, j, p) : full.cosine(4, j, probe: p)
                #expect(a.cosine(4, j, probe: p) == expected)
            }
        }
        #expect(a.answered == full.answered)
    }

    @Test("a shift with the wrong number of edges or unsorted edges is named")
    func inconsistentShifts() {
        let good = LengthShift(family: "ngram", edges: (1...9).map(Double.init), levels: (0..<10).map { -Double($0) / 10 })
        #expect(good.inconsistency == nil)
        var short = good
        short.edges.removeLast()
        #expect(short.inconsistency?.contains("8 edges") == true)
        var unsorted = good
        unsorted.edges.swapAt(0, 5)
        #expect(unsorted.inconsistency?.contains("not ascending") == true)
    }
}
