import Testing
@testable import LineageKit

@Suite("Linear algebra: blocked Gram product")
struct BlockedGramTests {
    static func rows(_ n: Int, _ k: Int, seed: UInt64) -> [[Float]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<n).map { _ in (0..<k).map { _ in Float.random(in: -1...1, using: &generator) } }
    }

    /// Rows on `EmbeddingGrid` with unit-length probes, and blocks of at most `exactProbes` probes: every
    /// BLAS call is exact, and the sums across calls are BlockedGram's own, so the kernel — and therefore the
    /// BLAS library or CPU — cannot change a bit. 400 models make groups of several blocks (the budget of
    /// partials). (Why each call starts from β = 0 — reference BLAS accumulates into C term by term and would
    /// round a running partial in its own order — this cannot show: OpenBLAS's kernels add to C once. The
    /// CLI determinism test runs reference BLAS.)
    @Test("on grid rows, every kernel gives the same bits, from Float32 or 16-bit steps, also when a group sums several blocks")
    func gridRowsAreKernelIndependent() {
        let n = 400, dims = 512, probes = 30
        var generator = SeededGenerator(seed: 11)
        var values = [Float](repeating: 0, count: n * probes * dims)
        for r in 0..<n {
            for p in 0..<probes {
                let base = (r * probes + p) * dims
                var norm: Float = 0
                for d in 0..<dims { values[base + d] = Float.random(in: -1...1, using: &generator); norm += values[base + d] * values[base + d] }
                values.withUnsafeMutableBufferPointer { buffer in
                    for d in 0..<dims { buffer[base + d] /= norm.squareRoot() }
                    EmbeddingGrid.snap(buffer.baseAddress! + base, count: dims)
                }
            }
        }
        let a = Matrix(rows: n, columns: probes * dims, values: values)
        // One probe a block: 30 blocks, more than the 26 partials the budget allows for 400 models.
        #expect(max(BlockedGram.minimumGroups, BlockedGram.partialBudget / (n * n)) < probes, "the test needs groups of several blocks")
        var results = BlockedGram.Kernel.allCases.map { BlockedGram(kernel: $0, blockColumns: dims, threads: 2).gram(a) }
        // The same rows held as 16-bit grid steps (how `EmbeddingStack` keeps them), staged block by block.
        var steps = [Int16](repeating: 0, count: values.count)
        let onGrid = values.withUnsafeBufferPointer { v in
            steps.withUnsafeMutableBufferPointer { EmbeddingGrid.steps(of: v.baseAddress!, count: v.count, into: $0.baseAddress!) }
        }
        #expect(onGrid)
        for kernel in [BlockedGram.Kernel.upperStrips, .syrk] {
            results.append(steps.withUnsafeBufferPointer {
                BlockedGram(kernel: kernel, blockColumns: dims, threads: 2).gram(steps: $0, rows: n, columns: probes * dims, unit: EmbeddingGrid.unit)
            })
        }
        for result in results.dropFirst() {
            for i in 0..<n {
                for j in i..<n { #expect(result[i, j].bitPattern == results[0][i, j].bitPattern, "G[\(i),\(j)]") }
            }
        }
    }

    @Test("equals the Gram matrix of one BLAS call, for every kernel, blocks that do not divide K, K below a block")
    func matchesGram() {
        for (n, k) in [(1, 7), (5, 100), (13, 1000)] {
            let rows = Self.rows(n, k, seed: UInt64(n * 1000 + k))
            let expected = BLAS.gram(Matrix(rows: n, columns: k, values: rows.flatMap { $0 }))
            for kernel in BlockedGram.Kernel.allCases {
                for block in [1, 3, 64, 5000] {
                    let gram = BlockedGram(kernel: kernel, blockColumns: block, threads: 2)
                    let staged = gram.gram(rows, columns: k)
                    let direct = gram.gram(Matrix(rows: n, columns: k, values: rows.flatMap { $0 }))
                    for i in 0..<n {
                        for j in 0..<n {
                            #expect(abs(staged[i, j] - expected[i, j]) <= 1e-4 * Float(k).squareRoot())
                            #expect(abs(direct[i, j] - expected[i, j]) <= 1e-4 * Float(k).squareRoot())
                            #expect(staged[i, j] == staged[j, i])
                        }
                    }
                }
            }
        }
    }

    @Test("one, two and three threads give bit-identical results (blocks grouped or not)")
    func threadCountDoesNotChangeBits() {
        // 30 rows: every block its own partial; 1100 rows: 16 blocks summed in 8 groups.
        for (n, k, block) in [(30, 2000, 48), (1100, 64, 4)] {
            let rows = Self.rows(n, k, seed: UInt64(n))
            for kernel in BlockedGram.Kernel.allCases {
                let one = BlockedGram(kernel: kernel, blockColumns: block, threads: 1).gram(rows, columns: k)
                for threads in [2, 3] {
                    let many = BlockedGram(kernel: kernel, blockColumns: block, threads: threads).gram(rows, columns: k)
                    #expect(many.values.map(\.bitPattern) == one.values.map(\.bitPattern))
                }
            }
        }
    }

    @Test("no rows or no columns give a zero matrix of the right size")
    func empty() {
        #expect(BlockedGram(blockColumns: 8, threads: 2).gram([], columns: 0) == Matrix(rows: 0, columns: 0))
        #expect(BlockedGram(blockColumns: 8, threads: 2).gram([[], []], columns: 0) == Matrix(rows: 2, columns: 2))
    }

    @Test("block width in whole probes, within the cache budget, at least one probe")
    func blockColumns() {
        #expect(BlockedGram.blockColumns(rows: 52, granule: 512) == 4 * 512)
        #expect(BlockedGram.blockColumns(rows: 10_000, granule: 512) == 512)
        #expect(BlockedGram.blockColumns(rows: 1, granule: 16, bytes: 1024) == 16 * 16)
    }

    @Test("strip blocks keep 4 × N × K within OpenBLAS's small-matrix bound and one block within the cache budget")
    func stripBlockColumns() {
        // 52 models: 10⁶ / (4 · 52 · 512) = 9.4 probes, 1 MiB / (52 · 512 · 4 B) = 9.8 probes.
        #expect(BlockedGram.stripBlockColumns(rows: 52, granule: 512) == 9 * 512)
        #expect(4 * 52 * BlockedGram.stripBlockColumns(rows: 52, granule: 512) <= BlockedGram.smallGEMMLimit)
        #expect(BlockedGram.stripBlockColumns(rows: 300, granule: 512) == 512)
        #expect(BlockedGram.stripBlockColumns(rows: 2, granule: 512, bytes: 8 * 512 * 4) == 4 * 512)
    }

    @Test("the engine uses upper-triangle strips up to stripModels models, ssyrk beyond; its block fits the bound")
    func engineConfiguration() {
        let small = SimilarityMatrix.gram(models: 52, dimensions: 512, threads: 2)
        #expect(small.kernel == .upperStrips)
        #expect(small.blockColumns == 9 * 512)
        #expect(SimilarityMatrix.gram(models: BlockedGram.stripModels + 1, dimensions: 512, threads: 2).kernel == .syrk)
        #expect(SimilarityMatrix.gram(models: 52, dimensions: 512, probeBlock: 4, threads: 2, kernel: .gemm).blockColumns == 4 * 512)
    }

    @Test("upper-triangle strips perform the upper triangle plus the lower half of each diagonal tile")
    func upperStripFlops() {
        // 52 rows in 13 strips of 4: 2K · 4 · (52 + 48 + … + 4) = 2K · 1456.
        #expect(BlockedGram.upperStripFlops(rows: 52, columns: 10) == 2 * 1456 * 10)
        // 5 rows: a strip of 4 (width 5) and one of 1 (width 1).
        #expect(BlockedGram.upperStripFlops(rows: 5, columns: 1) == 2 * (4 * 5 + 1 * 1))
    }
}
