import Foundation

/// Feature counters kept for reuse, one per worker in flight: a counter's 1 MiB count table and buffers
/// are made once per worker instead of once per file or chunk of answers.
final class FeatureCounterPool: @unchecked Sendable {
    private let model: EmbeddingModel
    private let lock = NSLock()
    private var idle: [FeatureCounter] = []

    init(model: EmbeddingModel) { self.model = model }

    /// An idle counter, or a new one when every counter is in use.
    func take() -> FeatureCounter {
        lock.withLock { idle.popLast() } ?? FeatureCounter(model: model)
    }

    /// Returns `counter` (between answers, its cells all zero) for the next file.
    func give(_ counter: FeatureCounter) {
        lock.withLock { idle.append(counter) }
    }
}
