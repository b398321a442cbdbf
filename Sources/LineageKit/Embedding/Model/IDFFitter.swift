import Foundation

/// Fits a model's IDF table on a corpus of answers: document frequencies counted batch by batch (one
/// batch a recording, so a corpus never sits in memory whole), then `idf = ln((1 + N) / (1 + df)) + 1`.
///
/// Counts are integers merged in a fixed order, so the table is the same for any thread count.
public struct IDFFitter {
    public let model: EmbeddingModel
    public var threads: Int
    private var documentFrequency: [UInt32]
    public private(set) var documents = 0

    public init(model: EmbeddingModel, threads: Int? = nil) {
        self.model = model
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        documentFrequency = [UInt32](repeating: 0, count: model.bucketCount)
    }

    /// Adds each non-empty text as one document.
    public mutating func add(_ texts: [String]) {
        let texts = texts.filter { !$0.isEmpty }
        guard !texts.isEmpty else { return }
        let workers = min(threads, texts.count)
        let buckets = model.bucketCount
        let model = self.model
        var partial = [UInt32](repeating: 0, count: workers * buckets)
        partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            let work: @Sendable (Int) -> Void = { worker in
                let counter = FeatureCounter(model: model)
                let df = base + worker * buckets
                var i = worker
                while i < texts.count {
                    counter.count(texts[i])
                    for k in 0..<counter.distinctCount { df[Int(counter.touched[k])] += 1 }
                    i += workers
                }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        for w in 0..<workers {
            for b in 0..<buckets { documentFrequency[b] &+= partial[w * buckets + b] }
        }
        documents += texts.count
    }

    /// The model with the fitted IDF.
    public func fittedModel() -> EmbeddingModel {
        let n = Double(documents)
        let table = documentFrequency.map { Float(log((1 + n) / (1 + Double($0))) + 1) }
        return model.withIDF(table, documents: documents)
    }
}
