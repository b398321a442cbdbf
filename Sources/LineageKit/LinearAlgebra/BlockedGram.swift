import CLinearAlgebra
import Foundation

/// The Gram matrix `G = A·Aᵀ` of a few very long rows (N models × K = probes · dimensions), computed as a
/// sum over fixed blocks of columns that both cores work through at once.
///
/// Why blocks: one `ssyrk`/`sgemm` over K ≈ 400 000 columns with N ≈ 50 spends much of its time packing
/// operands straight from memory, and OpenBLAS threads it poorly (it splits N, which is small). Cut into
/// column blocks of a few probes (N · blockColumns floats ≲ half an L2), each block is copied or read once
/// from memory and then stays in cache while the level-3 kernel packs and multiplies it; each worker runs
/// single-threaded OpenBLAS on whole blocks (`BLASThreads`).
///
/// Determinism: block boundaries and the grouping of blocks into partial sums depend only on N, K and
/// `blockColumns`, never on `threads`. Each group is summed by one worker, in block order, into its own
/// N×N partial; the partials are then added in group order. So the result is bit-identical for any
/// thread count (and the same as a single-threaded run of the same blocks). Every BLAS call starts from
/// zero and all sums across calls are Lineage's own, so on inputs for which one call is exact (embeddings on
/// `EmbeddingGrid`, blocks of at most `EmbeddingGrid.exactProbes`) the result is also the same for any
/// BLAS library or kernel.
struct BlockedGram: Sendable {
    /// How each block's product is computed.
    ///
    /// - `gemm`: one `sgemm` A·Aᵀ per block (2N²K flops, both triangles).
    /// - `syrk`: one `ssyrk` per block (upper triangle; N(N+1)K useful flops, more performed).
    /// - `gemmStrips`: one `sgemm` per strip of `stripRows` rows of G, whole rows (2N²K flops).
    /// - `upperStrips`: one `sgemm` per strip of `stripRows` rows of G, from the strip's diagonal on
    ///   (`upperStripFlops` performed: the upper triangle plus the lower half of each 4×4 diagonal tile).
    ///
    /// Why strips: with N ≈ 50 one `sgemm` per block runs OpenBLAS's packed kernel on a 52×52 output whose
    /// 16-row micro-tiles leave a 4-row edge, and packs the same block twice (as A and as B); it reached
    /// 74–79 % of the 2048² peak here, `ssyrk` less. A 4 × (N−s) strip of a block of K ≤ 10⁶/(4N) columns is
    /// what OpenBLAS (≥ 0.3.16, AVX-512 targets such as SkylakeX/Cooperlake) hands to its unpacked
    /// small-matrix `sgemm` kernel (`sgemm_small_kernel_permit_skylakex.c`: M·N·K ≤ 10⁶ and, for this
    /// transposed layout, M·N ≤ 1200), which reads the block straight from L2 at 95–99 % of one core's peak
    /// (measured on the 52 × 805·512 stack, Zen 4, OpenBLAS 0.3.21). Elsewhere the strips are ordinary
    /// `sgemm` calls: the same product, at whatever speed that build gives.
    enum Kernel: String, Sendable, CaseIterable {
        case gemm, syrk, gemmStrips, upperStrips
    }

    /// Rows of G per strip for the strip kernels.
    static let stripRows = 4
    /// OpenBLAS's small-matrix `sgemm` path takes M·N·K up to this many multiply-adds.
    static let smallGEMMLimit = 1_000_000
    /// The engine uses strips up to this many rows. A 4 × N strip is a small-matrix product only while
    /// 4·N ≤ 1200; on synthetic stacks of K = 100·512 here strips beat `ssyrk` in wall time from 16 to 200
    /// rows (by 4× at 16, 1.2× at 200), and at 300 neither won consistently.
    static let stripModels = 200

    /// Multiply-adds × 2 that `upperStrips` performs for an n × n result over k columns.
    static func upperStripFlops(rows n: Int, columns k: Int) -> Double {
        stride(from: 0, to: n, by: stripRows).reduce(0.0) { sum, s in
            sum + 2 * Double(min(stripRows, n - s)) * Double(n - s) * Double(k)
        }
    }

    var kernel: Kernel
    /// Columns per block (for embeddings: probes per block × dimensions).
    var blockColumns: Int
    /// Worker threads.
    var threads: Int

    /// At most this many floats of partial sums (N² each): with few models every block gets its own
    /// partial; with thousands of models blocks are grouped, keeping at least 8 groups to share out.
    static let partialBudget = 1 << 22
    static let minimumGroups = 8

    init(kernel: Kernel = .gemm, blockColumns: Int, threads: Int) {
        self.kernel = kernel
        self.blockColumns = max(1, blockColumns)
        self.threads = max(1, threads)
    }

    /// Columns per block that keep one block of `rows` rows within `bytes` (at least `granule` columns,
    /// and a whole number of granules, e.g. of one probe's dimensions).
    static func blockColumns(rows: Int, granule: Int, bytes: Int = 512 * 1024) -> Int {
        let perGranule = max(1, rows * granule * MemoryLayout<Float>.stride)
        return max(1, bytes / perGranule) * max(1, granule)
    }

    /// Columns per block for the strip kernels: whole granules, as many as keep a 4 × `rows` strip within
    /// OpenBLAS's small-matrix bound and one block of `rows` rows within `bytes` (one L2 here), at least one.
    static func stripBlockColumns(rows: Int, granule: Int, bytes: Int = 1024 * 1024) -> Int {
        let g = max(1, granule), n = max(1, rows)
        let bySmallKernel = smallGEMMLimit / (stripRows * n * g)
        let byCache = bytes / (n * g * MemoryLayout<Float>.stride)
        return max(1, min(bySmallKernel, byCache)) * g
    }

    /// The Gram matrix of `rows` (each of `columns` floats, held separately): each block is first copied
    /// into the worker's own n × blockColumns staging buffer, where the kernel then finds it in cache.
    func gram(_ rows: [[Float]], columns k: Int) -> Matrix {
        let n = rows.count
        precondition(rows.allSatisfy { $0.count == k }, "BlockedGram: every row needs \(k) columns")
        let width = min(blockColumns, max(1, k))
        return compute(rows: n, columns: k, staging: n * width) { range, stage in
            for (i, row) in rows.enumerated() {
                row.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress else { return }
                    (stage + i * range.count).update(from: from + range.lowerBound, count: range.count)
                }
            }
            return (UnsafePointer(stage), range.count)
        }
    }

    /// The Gram matrix of the rows of `a`, read in place (no staging copy).
    func gram(_ a: Matrix) -> Matrix {
        a.values.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress
            let k = a.columns
            return compute(rows: a.rows, columns: k, staging: 0) { range, _ in
                // `base` is non-nil whenever there is a block to compute (rows, columns > 0).
                (UnsafePointer(base.unsafelyUnwrapped) + range.lowerBound, k)
            }
        }
    }

    /// The Gram matrix of the rows of an n × k matrix of 16-bit integers, each standing for `step · unit`:
    /// each block is converted into the worker's n × blockColumns staging buffer as Float32 — exactly, for a
    /// power-of-two `unit` — where the kernel then finds it in cache. Half the memory of Float32 rows, for
    /// values on a fixed grid (embeddings: `EmbeddingGrid`).
    func gram(steps: UnsafeBufferPointer<Int16>, rows n: Int, columns k: Int, unit: Float) -> Matrix {
        precondition(steps.count == n * k, "BlockedGram: \(steps.count) steps are not \(n) rows of \(k)")
        let width = min(blockColumns, max(1, k))
        nonisolated(unsafe) let base = steps.baseAddress
        return compute(rows: n, columns: k, staging: n * width) { range, stage in
            // `base` is non-nil whenever there is a block to compute (rows, columns > 0).
            let source = base.unsafelyUnwrapped + range.lowerBound
            for i in 0..<n {
                let from = source + i * k, to = stage + i * range.count
                for c in 0..<range.count { to[c] = Float(from[c]) * unit }
            }
            return (UnsafePointer(stage), range.count)
        }
    }

    /// The shared driver: `operand(range, staging)` gives a pointer to the n rows of one column block and
    /// their leading dimension (copying into `staging`, `stagingFloats` long, when it must).
    private func compute(rows n: Int, columns k: Int, staging stagingFloats: Int,
                         operand: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> (UnsafePointer<Float>, Int)) -> Matrix {
        var result = Matrix(rows: n, columns: n)
        guard n > 0, k > 0 else { return result }
        let width = min(blockColumns, k)
        let blocks = (k + width - 1) / width
        let groups = min(blocks, max(Self.minimumGroups, Self.partialBudget / (n * n)))
        let kernel = self.kernel
        var partials = [Float](repeating: 0, count: groups * n * n)
        partials.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let sums = buffer.baseAddress.unsafelyUnwrapped
            let workers = min(threads, groups)
            // One staging buffer per job in flight, with room after the staged block for one n × n product.
            let floats = stagingFloats + n * n
            let stages = WorkerPool { () -> UnsafeMutablePointer<Float> in
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: floats)
                buffer.initialize(repeating: 0, count: floats)
                return buffer
            }
            BLASThreads.singleThreaded {
                ParallelWork.run(jobs: groups, threads: workers) { group in stages.withResource { stage in
                    let partial = sums + group * n * n, product = stage + stagingFloats
                    let firstBlock = group * blocks / groups
                    for block in firstBlock..<((group + 1) * blocks / groups) {
                        let range = (block * width)..<min(k, (block + 1) * width)
                        let (a, lda) = operand(range, stage)
                        // Each call starts from zero (β = 0) and later blocks are added here, in order: a BLAS
                        // that accumulated into the running partial would round it in its own order.
                        let c = block == firstBlock ? partial : product
                        switch kernel {
                        case .gemm:
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(range.count),
                                        1, a, Int32(lda), a, Int32(lda), 0, c, Int32(n))
                        case .syrk:
                            cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(range.count),
                                        1, a, Int32(lda), 0, c, Int32(n))
                        case .gemmStrips, .upperStrips:
                            for s in stride(from: 0, to: n, by: Self.stripRows) {
                                let first = kernel == .gemmStrips ? 0 : s
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(min(Self.stripRows, n - s)),
                                            Int32(n - first), Int32(range.count), 1, a + s * lda, Int32(lda),
                                            a + first * lda, Int32(lda), 0, c + s * n + first, Int32(n))
                            }
                        }
                        if block != firstBlock {
                            for i in 0..<n {
                                for j in i..<n { partial[i * n + j] += product[i * n + j] }
                            }
                        }
                    }
                } }
            }
            for stage in stages.made { stage.deallocate() }
            // Partials added in group order; the upper triangle only, mirrored, so G is exactly symmetric.
            for group in 0..<groups {
                let c = sums + group * n * n
                for i in 0..<n {
                    for j in i..<n { result.values[i * n + j] += c[i * n + j] }
                }
            }
            for i in 0..<n {
                for j in 0..<i { result.values[i * n + j] = result.values[j * n + i] }
            }
        }
        return result
    }
}
