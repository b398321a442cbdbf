import ArgumentParser
import Foundation
import LineageKit

/// `make bench` drives this hidden command (scripts/bench/bench.sh adds the end-to-end run and the peer).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time featurizing and the similarity step (used by make bench).",
        shouldDisplay: false
    )

    @Argument(help: "Recording files.")
    var files: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "Embedding model file, or a bundled model's name (default: the bundled ngram-v3; ngram-v2 and ngram-v1 replay older reports).")
    var model: String?

    @Flag(help: ArgumentHelp("Time only the similarity step.", visibility: .hidden))
    var similarityOnly = false

    @Flag(help: ArgumentHelp("Time only featurizing, on one thread (for A/B runs of two builds).", visibility: .hidden))
    var featurizeOnly = false

    @Option(help: ArgumentHelp("Featurize runs per thread count; the best is printed.", visibility: .hidden))
    var repeats = 2

    func validate() throws {
        try OptionRanges.repeats.check(repeats)
    }

    func run() throws {
        let set = try ProbeSet.resolve(input.probes)
        let m = try EmbeddingModel.load(path: model)
        var texts: [String] = []
        for file in files where !similarityOnly {
            let aligned = try Aligner.align(path: file, format: input.inputFormat, to: set)
            texts.append(contentsOf: aligned.answers.flatMap { $0 })
        }
        for threads in featurizeOnly ? [1] : [1, 2] where !similarityOnly {
            let f = EmbeddingBenchmark.featurize(texts, model: m, threads: threads, repeats: repeats)
            print(String(format: "featurize  %d thread%@: %7.1f MB in %6.2f s wall = %7.1f MB/s; %6.2f CPU s = %7.1f MB/s per core [%@]",
                         threads, threads == 1 ? " " : "s", f.megabytes, f.seconds, f.megabytesPerSecond,
                         f.cpuSeconds, f.megabytesPerCPUSecond, EmbeddingBenchmark.featurizePath))
        }
        texts = []
        if featurizeOnly { return }
        let stack = try Embedder(model: m).embedStack(files: files, probeSet: set, format: input.inputFormat)
        let peak = EmbeddingBenchmark.peakSGEMM()
        let peakOne = EmbeddingBenchmark.peakSGEMM(singleThreaded: true)
        print("similarity: N=\(stack.count) models, K = \(set.probes.count) probes × \(m.dimensions) dims; flops counted as said per line")
        for run in EmbeddingBenchmark.similarityRuns(stack) {
            print(String(format: "similarity %@: %6.1f ms = %6.1f GFLOP/s [%@] = %5.1f %% of peak (N(N+1)K useful: %5.1f %%)",
                         run.label, run.seconds * 1e3, run.gigaflops, run.flopCounting, 100 * run.gigaflops / peak.gigaflops,
                         100 * run.usefulGigaflops / peak.gigaflops))
        }
        print(String(format: "peak sgemm 2048², one core (OpenBLAS 1 thread, this run): %6.1f GFLOP/s", peakOne.gigaflops))
        print(String(format: "peak sgemm 2048², all cores (this run): %6.1f GFLOP/s", peak.gigaflops))
    }
}
