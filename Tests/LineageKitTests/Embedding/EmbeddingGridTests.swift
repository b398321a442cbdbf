import Foundation
import Testing
@testable import LineageKit

@Suite("Embedding: the grid that makes BLAS products exact")
struct EmbeddingGridTests {
    @Test("embedded rows are multiples of 2⁻¹⁰ and within the grid's bound of unit length")
    func rowsOnTheGrid() throws {
        let model = try EmbeddingEmbedderTests.model()
        let m = Embedder(model: model, threads: 1).embed(EmbeddingEmbedderTests.texts)
        #expect(m.values.allSatisfy { ($0 * EmbeddingGrid.scale).rounded() == $0 * EmbeddingGrid.scale })
        let bound = Float(model.dimensions).squareRoot() / (2 * EmbeddingGrid.scale)
        for (i, text) in EmbeddingEmbedderTests.texts.enumerated() where !text.isEmpty {
            let norm = m.row(i).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) <= bound)
        }
    }

    @Test("snapping rounds to the nearest multiple of 2⁻¹⁰, ties to even")
    func snapRounds() {
        var values: [Float] = [0, 1, -1, 0.5 / 1024, 1.5 / 1024, -2.5 / 1024, 0.3, -0.7, 1e-9, -1e-9]
        var generator = EmbeddingBenchmark.SplitMixGenerator(seed: 3)
        for _ in 0..<10_000 { values.append(2 * generator.nextFloat()) }
        var snapped = values
        snapped.withUnsafeMutableBufferPointer { EmbeddingGrid.snap($0.baseAddress!, count: $0.count) }
        for (value, result) in zip(values, snapped) {
            #expect(result == (value * 1024).rounded(.toNearestOrEven) / 1024, "\(value)")
        }
        #expect(snapped[3] == 0 && snapped[4] == 2.0 / 1024 && snapped[5] == -2.0 / 1024)
    }

    @Test("grid values become 16-bit steps exactly and back; a value off the grid, beyond Int16 or NaN is refused")
    func steps() {
        func convert(_ values: [Float]) -> (Bool, [Int16]) {
            var steps = [Int16](repeating: 7, count: values.count)
            let ok = values.withUnsafeBufferPointer { v in
                steps.withUnsafeMutableBufferPointer { EmbeddingGrid.steps(of: v.baseAddress!, count: v.count, into: $0.baseAddress!) }
            }
            return (ok, steps)
        }
        let grid: [Float] = [0, -0.0, 1, -1, 1.0 / 1024, -3.0 / 1024, 1023.0 / 1024, 1044.0 / 1024, 32767.0 / 1024, -32767.0 / 1024]
        let (ok, steps) = convert(grid)
        #expect(ok)
        #expect(steps == [0, 0, 1024, -1024, 1, -3, 1023, 1044, 32767, -32767])
        #expect(zip(steps, grid).allSatisfy { Float($0) * EmbeddingGrid.unit == $1 })
        for bad: Float in [0.3, 0.5 / 1024, 32.0, -32.0, .nan, .infinity] {
            #expect(convert([0, bad, 0]).0 == false, "\(bad)")
        }
    }

    @Test("15 probes of 512 dimensions is the most one BLAS call may sum exactly")
    func exactProbes() {
        #expect(EmbeddingGrid.exactProbes(dimensions: 512) == 15)
        let perProbe = Double(EmbeddingGrid.scale) + 512.0.squareRoot() / 2
        #expect(15 * perProbe * perProbe < Double(1 << 24))
        #expect(16 * perProbe * perProbe >= Double(1 << 24))
    }

    /// Worst case for exactness: every row at the largest norm the grid allows, all values of one sign,
    /// so no partial sum cancels. BLAS in any order must then equal the exact sum, computed here in
    /// Double (exact: every product and partial sum is an integer times 2⁻²⁰ far below 2⁵³).
    @Test("a Gram matrix of grid rows over the exact probe count equals the exact sums bit for bit")
    func gramIsExact() {
        let dims = 512, probes = EmbeddingGrid.exactProbes(dimensions: dims), models = 6
        var generator = EmbeddingBenchmark.SplitMixGenerator(seed: 7)
        var a = Matrix(rows: models, columns: probes * dims)
        for r in 0..<models {
            for p in 0..<probes {
                let row = (0..<dims).map { _ in abs(generator.nextFloat()) + 0.01 }
                let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for d in 0..<dims {
                    // Round up, away from zero: the largest norm the grid can give.
                    a.values[r * a.columns + p * dims + d] = (row[d] / norm * EmbeddingGrid.scale).rounded(.up) / EmbeddingGrid.scale
                }
            }
        }
        let gram = BLAS.gram(a)
        for i in 0..<models {
            for j in 0..<models {
                var exact = 0.0
                for k in 0..<a.columns { exact += Double(a.values[i * a.columns + k]) * Double(a.values[j * a.columns + k]) }
                #expect(Double(gram.values[i * models + j]) == exact, "G[\(i),\(j)]")
            }
        }
    }

    @Test("the MMD kernel grid keeps every row sum of |h| below 2²⁴ steps")
    func mmdGrid() {
        for n in [2, 3, 100, 805, 4096, 100_000] {
            let grid = MaximumMeanDiscrepancy.grid(probes: n)
            #expect(2 * Double(n - 1) * grid < Double(1 << 24))
            #expect(grid >= 1)
        }
        #expect(MaximumMeanDiscrepancy.grid(probes: 805) == 8192)
    }
}
