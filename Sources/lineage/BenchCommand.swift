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

    @Option(help: "Embedding model file (default: the bundled ngram-v1).")
    var model: String?

    func run() throws {
        let set = try ProbeSet.resolve(input.probes)
        let m = try model.map { path throws(EmbeddingModelError) in try EmbeddingModel(contentsOf: path) }
            ?? EmbeddingModel.bundled()
        var texts: [String] = []
        for file in files {
            let aligned = Aligner.align(try RecordingReader.read(path: file, format: input.inputFormat), to: set)
            texts.append(contentsOf: aligned.answers.flatMap { $0 })
        }
        for threads in [1, 2] {
            let f = EmbeddingBenchmark.featurize(texts, model: m, threads: threads)
            print(String(format: "featurize  %d thread%@: %7.1f MB in %6.2f s wall = %7.1f MB/s; %6.2f CPU s = %7.1f MB/s per core",
                         threads, threads == 1 ? " " : "s", f.megabytes, f.seconds, f.megabytesPerSecond,
                         f.cpuSeconds, f.megabytesPerCPUSecond))
        }
        texts = []
        let embedded = try Embedder(model: m).embed(files: files, probeSet: set, format: input.inputFormat)
        let peak = EmbeddingBenchmark.peakSGEMM()
        for block in [32, 128, 805] {
            let s = try EmbeddingBenchmark.similarity(embedded, probeBlock: block)
            print(String(format: "similarity (ssyrk, %3d-probe blocks, N=%d, D=%d): %6.1f ms = %6.1f GFLOP/s = %5.1f %% of peak",
                         block, embedded.count, m.dimensions, s.seconds * 1e3, s.gigaflops, 100 * s.gigaflops / peak.gigaflops))
        }
        print(String(format: "peak sgemm 2048² (this run): %6.1f GFLOP/s", peak.gigaflops))
    }
}
