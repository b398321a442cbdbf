import Foundation

/// Timings for `make bench` (`lineage bench`): featurize throughput at 1 and 2 threads, the similarity
/// step's level-3 rate, and a large square `sgemm` as the machine's measured peak.
public enum EmbeddingBenchmark {
    public struct Featurize: Sendable {
        public var threads: Int
        public var megabytes: Double
        /// Wall-clock seconds, and CPU seconds of the whole process over the same run (on a shared machine
        /// wall time includes waiting for a core; CPU time does not).
        public var seconds: Double
        public var cpuSeconds: Double
        public var megabytesPerSecond: Double { megabytes / seconds }
        public var megabytesPerCPUSecond: Double { megabytes / cpuSeconds }
    }

    public struct GEMM: Sendable {
        public var flops: Double
        public var seconds: Double
        public var gigaflops: Double { flops / seconds / 1e9 }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Best of `repeats` runs of embedding `texts` with `threads` workers.
    public static func featurize(_ texts: [String], model: EmbeddingModel, threads: Int, repeats: Int = 2) -> Featurize {
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let embedder = Embedder(model: model, threads: threads)
        var best = Double.infinity
        var bestCPU = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = now(), cpuStart = cpuNow()
            _ = embedder.embed(texts)
            best = min(best, now() - start)
            bestCPU = min(bestCPU, cpuNow() - cpuStart)
        }
        return Featurize(threads: threads, megabytes: Double(bytes) / 1e6, seconds: best, cpuSeconds: bestCPU)
    }

    /// The similarity step alone on `embedded` (best of `repeats`); flops counted as ssyrk's N(N+1)·K.
    public static func similarity(_ embedded: [EmbeddedRecording], probeBlock: Int = 128, repeats: Int = 3) throws -> GEMM {
        guard let first = embedded.first else { return GEMM(flops: 0, seconds: 1) }
        let n = Double(embedded.count)
        let k = Double(first.embeddings.rows * first.embeddings.columns)
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = now()
            _ = try SimilarityMatrix.meanProbeCosine(embedded, probeBlock: probeBlock)
            best = min(best, now() - start)
        }
        return GEMM(flops: n * (n + 1) * k, seconds: best)
    }

    /// A square `sgemm` of side `size` (best of `repeats`): the peak this machine's BLAS reaches now.
    public static func peakSGEMM(size: Int = 2048, repeats: Int = 3) -> GEMM {
        var generator = SplitMixGenerator(seed: 1)
        let a = Matrix(rows: size, columns: size, values: (0..<(size * size)).map { _ in generator.nextFloat() })
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = now()
            _ = BLAS.multiplyTransposed(a, a)
            best = min(best, now() - start)
        }
        return GEMM(flops: 2 * Double(size) * Double(size) * Double(size), seconds: best)
    }

    struct SplitMixGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func nextFloat() -> Float {
            state &+= 0x9e37_79b9_7f4a_7c15
            return Float(StableHash.mix(state) >> 40) / Float(1 << 24) - 0.5
        }
    }
}
