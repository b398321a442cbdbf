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

    /// Which path featurizing takes on this machine: "AVX-512", "portable C, AVX2", … (`VectorKernels`).
    public static var featurizePath: String { VectorKernels.description }

    /// Best of `repeats` runs of embedding `texts` with `threads` workers, the way the pipeline embeds
    /// recordings (`EmbeddingStack`): a file's worth of answers (`groupSize`) at a time, each worker with its
    /// own counter and its own output buffer, zeroed and reused from file to file. Until 2026-12-04 the
    /// benchmark embedded every text into one fresh matrix (203 MB for ngram-v3 on the 68 AlpacaEval files),
    /// and first touching those pages cost about 6 % of the time: a cost of the benchmark, not of the pipeline.
    public static func featurize(_ texts: [String], model: EmbeddingModel, threads: Int, repeats: Int = 2,
                                 groupSize: Int = 805) -> Featurize {
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let dims = model.dimensions, kernels = VectorKernels.path
        let groups = (texts.count + groupSize - 1) / groupSize
        let projection = SparseProjection(model: model)
        let workers = WorkerPool {
            (counter: FeatureCounter(model: model, kernels: kernels),
             rows: UnsafeMutablePointer<Float>.allocate(capacity: max(1, groupSize * dims)))
        }
        defer { for worker in workers.made { worker.rows.deallocate() } }
        var best = Double.infinity
        var bestCPU = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = now(), cpuStart = cpuNow()
            ParallelWork.run(jobs: groups, threads: threads) { group in
                workers.withResource { worker in
                    let range = (group * groupSize)..<min(texts.count, (group + 1) * groupSize)
                    worker.rows.update(repeating: 0, count: range.count * dims)
                    Embedder.embed(texts[range], into: worker.rows, counter: worker.counter, projection: projection, model: model)
                }
            }
            best = min(best, now() - start)
            bestCPU = min(bestCPU, cpuNow() - cpuStart)
        }
        return Featurize(threads: threads, megabytes: Double(bytes) / 1e6, seconds: best, cpuSeconds: bestCPU)
    }

    /// One configuration of the similarity step's Gram product, timed (best of the repeats).
    public struct SimilarityRun: Sendable {
        /// What ran, e.g. "sgemm, 4-probe blocks, staged, 2 threads".
        public var label: String
        public var seconds: Double
        /// The flops counted: 2N²K for `sgemm` (all it performs), N(N+1)K for `ssyrk` (the useful ones).
        public var flops: Double
        public var flopCounting: String
        public var gigaflops: Double { flops / seconds / 1e9 }
        /// The N(N+1)K flops of the upper triangle, whatever the kernel performs: the common yardstick.
        public var usefulFlops: Double
        public var usefulGigaflops: Double { usefulFlops / seconds / 1e9 }
    }

    /// How a kernel is named in the benchmark's lines.
    static func name(_ kernel: BlockedGram.Kernel) -> String {
        switch kernel {
        case .gemm: "sgemm"
        case .syrk: "ssyrk"
        case .gemmStrips: "sgemm in \(BlockedGram.stripRows)-row strips"
        case .upperStrips: "sgemm in \(BlockedGram.stripRows)-row upper-triangle strips"
        }
    }

    /// The similarity step as the engine runs it (`SimilarityMatrix.meanProbeCosine` on the stack with its
    /// defaults, masks and means included), then its Gram product alone in other configurations for
    /// comparison: every kernel over several block sizes on all threads, the engine's choice on one thread
    /// and on separate per-model arrays (staged block by block), and the previous engine (ssyrk on 32-probe
    /// staged blocks, OpenBLAS threading itself). Each is the best of `repeats` runs.
    public static func similarityRuns(_ stack: EmbeddingStack, repeats: Int = 5) -> [SimilarityRun] {
        let n = stack.count, dims = stack.dimensions, probes = stack.probes
        guard n > 0 else { return [] }
        let k = probes * dims
        let threads = ProcessInfo.processInfo.activeProcessorCount
        // The kernel comparisons read a Float32 copy in place; the engine line reads the stack's own steps.
        let values = stack.floatValues()
        let gemmFlops = 2 * Double(n) * Double(n) * Double(k)
        let syrkFlops = Double(n) * Double(n + 1) * Double(k)
        func count(_ kernel: BlockedGram.Kernel) -> (Double, String) {
            switch kernel {
            case .gemm, .gemmStrips: (gemmFlops, "2N²K")
            case .syrk: (syrkFlops, "N(N+1)K useful")
            case .upperStrips: (BlockedGram.upperStripFlops(rows: n, columns: k), "performed 2K·Σ rows×width")
            }
        }
        func best(_ body: () -> Void) -> Double {
            var seconds = Double.infinity
            for _ in 0..<max(1, repeats) {
                let start = now()
                body()
                seconds = min(seconds, now() - start)
            }
            return seconds
        }
        var runs: [SimilarityRun] = []
        let engine = SimilarityMatrix.gram(models: n, dimensions: dims)
        let engineBlock = engine.blockColumns / max(1, dims)
        let (engineFlops, engineCounting) = count(engine.kernel)
        runs.append(SimilarityRun(label: "engine (meanProbeCosine on the stack): \(name(engine.kernel)), \(engineBlock)-probe blocks, staged from 16-bit steps, \(engine.threads) threads",
                                  seconds: best { _ = SimilarityMatrix.meanProbeCosine(stack) },
                                  flops: engineFlops, flopCounting: engineCounting, usefulFlops: syrkFlops))
        // The engine's kernel on the stack's own 16-bit steps at other block sizes (each staged block converted).
        for block in [2, 4, 6, 8, 12, 15] where block != engineBlock {
            let gram = SimilarityMatrix.gram(models: n, dimensions: dims, probeBlock: block, threads: threads, kernel: engine.kernel)
            runs.append(SimilarityRun(label: "\(name(engine.kernel)), \(block)-probe blocks, staged from 16-bit steps, \(threads) threads",
                                      seconds: best { _ = stack.gram(gram) }, flops: engineFlops, flopCounting: engineCounting,
                                      usefulFlops: syrkFlops))
        }
        for kernel in BlockedGram.Kernel.allCases {
            for block in [2, 4, 8, 9, 16, 32, 64, 128] {
                let gram = SimilarityMatrix.gram(models: n, dimensions: dims, probeBlock: block, threads: threads, kernel: kernel)
                let (flops, counting) = count(kernel)
                runs.append(SimilarityRun(label: "\(name(kernel)), \(block)-probe blocks, in place, \(threads) threads",
                                          seconds: best { _ = gram.gram(values) }, flops: flops, flopCounting: counting, usefulFlops: syrkFlops))
            }
        }
        var single = engine
        single.threads = 1
        runs.append(SimilarityRun(label: "\(name(engine.kernel)), \(engineBlock)-probe blocks, in place, 1 thread",
                                  seconds: best { _ = single.gram(values) }, flops: engineFlops, flopCounting: engineCounting, usefulFlops: syrkFlops))
        let rows = (0..<n).map { values.row($0) }
        runs.append(SimilarityRun(label: "\(name(engine.kernel)), \(engineBlock)-probe blocks, separate arrays staged, \(engine.threads) threads",
                                  seconds: best { _ = engine.gram(rows, columns: k) }, flops: engineFlops, flopCounting: engineCounting, usefulFlops: syrkFlops))
        let previous = best {
            var sums = Matrix(rows: n, columns: n)
            var staging = [Float](repeating: 0, count: n * 32 * dims)
            var p0 = 0
            while p0 < probes {
                let width = (min(probes, p0 + 32) - p0) * dims
                staging.withUnsafeMutableBufferPointer { stage in
                    guard let base = stage.baseAddress else { return }
                    for (i, row) in rows.enumerated() {
                        row.withUnsafeBufferPointer { if let from = $0.baseAddress { (base + i * width).update(from: from + p0 * dims, count: width) } }
                    }
                    BLAS.accumulateGram(base, rows: n, columns: width, into: &sums)
                }
                p0 += 32
            }
        }
        runs.append(SimilarityRun(label: "previous engine: one ssyrk per 32-probe staged block, OpenBLAS threads",
                                  seconds: previous, flops: syrkFlops, flopCounting: "N(N+1)K useful", usefulFlops: syrkFlops))
        return runs
    }

    /// With `singleThreaded`, OpenBLAS is limited to one thread: the peak of one core.
    public static func peakSGEMM(size: Int = 2048, repeats: Int = 3, singleThreaded: Bool = false) -> GEMM {
        if singleThreaded { return BLASThreads.singleThreaded { peakSGEMM(size: size, repeats: repeats) } }
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
