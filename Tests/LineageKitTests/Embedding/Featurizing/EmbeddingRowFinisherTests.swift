import Testing
@testable import LineageKit

/// `RowFinisher` finishes eight rows side by side; each must get the bytes of the one-row finish it
/// replaced (block norms and the row norm summed in column order, no fused multiply-add).
@Suite("Embedding: row finisher")
struct EmbeddingRowFinisherTests {
    /// The finish `Embedder.embedOne` did row by row before `RowFinisher`.
    static func finishOne(_ row: inout [Float], model: EmbeddingModel) {
        let total = model.families.reduce(Float(0)) { $0 + ($1.dimensions > 0 ? $1.weight : 0) }
        for layout in model.families where layout.dimensions > 0 && layout.weight > 0 {
            let columns = layout.columnOffset..<(layout.columnOffset + layout.dimensions)
            var norm: Float = 0
            for d in columns { norm += row[d] * row[d] }
            guard norm > 0 else { continue }
            let scale = (layout.weight / total).squareRoot() / norm.squareRoot()
            for d in columns { row[d] *= scale }
        }
        var norm: Float = 0
        for d in row.indices { norm += row[d] * row[d] }
        guard norm > 0 else { return }
        let scale = 1 / norm.squareRoot()
        for d in row.indices { row[d] *= scale }
        row.withUnsafeMutableBufferPointer { EmbeddingGrid.snap($0.baseAddress!, count: $0.count) }
    }

    @Test("rows finished eight at a time are bit-identical to rows finished one by one, with and without the kernels",
          arguments: [1, 8, 13, 40], [false, true])
    func sameBytesAsOneByOne(rows count: Int, kernels: Bool) throws {
        let vectorKernels = kernels && VectorKernels.supported
        let weighted = ModelRecipe.Family(family: "word", seed: 2, buckets: 1 << 10, dimensions: 48, weight: 3, minN: 1, maxN: 2)
        let model = try EmbeddingFeaturizerTests.model([EmbeddingFeaturizerTests.char, weighted, EmbeddingFeaturizerTests.style])
        let dims = model.dimensions
        var state: UInt64 = 0x0f1e_2d3c
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state) >> 40) / Float(1 << 20)
        }
        // Drained rows: sums of weights of every size, some rows zero and some blocks zero.
        var rows: [[Float]] = []
        for r in 0..<count {
            var row = [Float](repeating: 0, count: dims)
            let zeroRow = r % 5 == 3, zeroCharBlock = r % 3 == 1
            for d in 0..<dims where !zeroRow && !(zeroCharBlock && d < 64) { row[d] = next() * Float(1 + r % 7) }
            rows.append(row)
        }
        var expected = rows
        for r in 0..<count { Self.finishOne(&expected[r], model: model) }
        var flat = rows.flatMap { $0 }
        flat.withUnsafeMutableBufferPointer { buffer in
            var finisher = RowFinisher(model: model, vectorKernels: vectorKernels)
            for r in 0..<count { finisher.add(buffer.baseAddress! + r * dims) }
            finisher.flush()
        }
        rows = (0..<count).map { Array(flat[$0 * dims..<($0 + 1) * dims]) }
        let bits: ([[Float]]) -> [[UInt32]] = { $0.map { row in row.map(\.bitPattern) } }
        #expect(bits(rows) == bits(expected))
        #expect(rows.contains { $0.allSatisfy { $0 == 0 } } == (count > 3))
    }

    @Test("each lane's squared norm is the column-order sum of its row's squares, bit for bit", arguments: [3, 8])
    func squaredNormsInColumnOrder(rows count: Int) {
        var state: UInt64 = 0x5eed_0001
        var rows = (0..<count).map { _ in [Float](repeating: 0, count: 300) }
        for r in 0..<count {
            for d in 0..<300 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                rows[r][d] = Float(bitPattern: 0x3c00_0000 | UInt32(truncatingIfNeeded: state >> 41)) * (d % 2 == 0 ? 1 : -3)
            }
        }
        let sequential = rows.map { row in row.reduce(Float(0)) { $0 + $1 * $1 } }
        var pointers: [UnsafeMutablePointer<Float>] = []
        for r in 0..<count {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: 300)
            p.initialize(from: rows[r], count: 300)
            pointers.append(p)
        }
        defer { pointers.forEach { $0.deallocate() } }
        let norms = pointers.withUnsafeBufferPointer { RowFinisher.squaredNorms($0.baseAddress!, count: count, columns: 0..<300) }
        for r in 0..<count { #expect(norms[r].bitPattern == sequential[r].bitPattern) }
        // Summed in another order the same squares differ in the last bits: the check can tell.
        #expect((0..<count).contains { r in rows[r].reversed().reduce(Float(0)) { $0 + $1 * $1 }.bitPattern != sequential[r].bitPattern })
    }
}
