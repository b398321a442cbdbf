/// The feature counters of one `Embedder` and its copies, kept across the texts and files it embeds.
///
/// Why: a counter is made with its cell table (2.4 MB for ngram-v3) filled with the model's IDF codes, so
/// making one costs a million stores and as many bytes of fresh pages. Made anew for every recording (one
/// per worker), that was a tenth of an `attribute` run (perf, 2026-12-07: the counter's init 3.2 %, page
/// faults and page clearing 7.7 %). A counter starts every answer from empty cells, so one made for an
/// earlier file gives the same rows for any later one.
final class FeatureCounterPools: Sendable {
    private let vector: WorkerPool<FeatureCounter>
    private let portable: WorkerPool<FeatureCounter>

    init(model: EmbeddingModel) {
        vector = WorkerPool { FeatureCounter(model: model, vectorKernels: true) }
        portable = WorkerPool { FeatureCounter(model: model, vectorKernels: false) }
    }

    /// The counters that run the AVX-512 kernels, or the portable ones (`VectorKernels`).
    func pool(vectorKernels: Bool) -> WorkerPool<FeatureCounter> { vectorKernels ? vector : portable }
}
