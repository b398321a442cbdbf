/// The feature counters of one `Embedder` and its copies, kept across the texts and files it embeds.
///
/// Why: a counter is made with its cell table (2.4 MB for ngram-v3) filled with the model's IDF codes, so
/// making one costs a million stores and as many bytes of fresh pages. Made anew for every recording (one
/// per worker), that was a tenth of an `attribute` run (perf, 2026-12-07: the counter's init 3.2 %, page
/// faults and page clearing 7.7 %). A counter starts every answer from empty cells, so one made for an
/// earlier file gives the same rows for any later one.
final class FeatureCounterPools: Sendable {
    private let pools: [FeaturizerKernels: WorkerPool<FeatureCounter>]

    init(model: EmbeddingModel) {
        pools = Dictionary(uniqueKeysWithValues: FeaturizerKernels.allCases.map { kernels in
            (kernels, WorkerPool { FeatureCounter(model: model, kernels: kernels) })
        })
    }

    /// The counters that run `kernels` (`FeaturizerKernels`).
    func pool(kernels: FeaturizerKernels) -> WorkerPool<FeatureCounter> { pools[kernels]! }
}
