import Foundation

extension Embedder {
    /// Reads, aligns and embeds recording files, keeping only the embeddings; results in `files` order.
    ///
    /// With several files, whole files are shared out over `threads` workers, each embedding its file
    /// single-threaded (an `Embedder` with one thread), so reading and aligning run in parallel too. At most
    /// `threads` files' texts are in memory at once: a file's texts are released when its embedding is done,
    /// so memory grows with probes × dimensions per model, not with the size of the answers. Every file is
    /// embedded by the same single-file path as a serial run, so the result is bit-identical for any thread
    /// count. When files fail, the error of the first failing file in `files` order is thrown (the error a
    /// serial run would throw); files after a known failure are not started.
    public func embed(files: [String], probeSet: ProbeSet, format: RecordingFormat? = nil) throws(InputError) -> [EmbeddedRecording] {
        if threads == 1 || files.count < 2 {
            // One worker: files one after another, each with all of this embedder's threads.
            var out: [EmbeddedRecording] = []
            out.reserveCapacity(files.count)
            for path in files { out.append(try embed(file: path, probeSet: probeSet, format: format)) }
            return out
        }
        let embedder = singleThreaded
        return try ParallelWork.map(jobs: files.count, threads: threads) { (index) throws(InputError) in
            try embedder.embed(file: files[index], probeSet: probeSet, format: format)
        }
    }

    /// Reads, aligns and embeds recording files straight into one contiguous `EmbeddingStack` (what the
    /// similarity matrix reads in place), in parallel as `embed(files:probeSet:format:)`; with a cache,
    /// each file goes through `embed(file:probeSet:format:cache:)`. Bit-identical to the serial path.
    public func embedStack(files: [String], probeSet: ProbeSet, format: RecordingFormat? = nil,
                           cache: EmbeddingCache? = nil) throws(InputError) -> EmbeddingStack {
        let embedder = files.count < 2 ? self : singleThreaded
        let model = self.model, probes = probeSet.probes.count
        let counters = counterPools.pool(kernels: kernels)
        return try EmbeddingStack(files: files, probes: probes, model: model, threads: threads) {
            (path, row) throws(InputError) -> EmbeddingStack.Facts in
            if let cache {
                return try EmbeddingStack.place(try embedder.embed(file: path, probeSet: probeSet, format: format, cache: cache),
                                                into: row, probes: probes, model: model)
            }
            if embedder.threads > 1 {
                // One file and several threads: the file's answers shared over the threads.
                let aligned = try Aligner.align(path: path, format: format, to: probeSet)
                let answered = embedder.embed(aligned, into: row)
                return EmbeddingStack.Facts(model: aligned.model, source: aligned.source, sha256: aligned.sha256,
                                            answered: answered)
            }
            return try counters.withResource { (counter) throws(InputError) in
                try embedder.embedStreaming(file: path, probeSet: probeSet, format: format, into: row, counter: counter)
            }
        }
    }

    /// Reads, aligns and embeds one file in one streamed pass, single-threaded: each answer the aligner keeps
    /// is embedded into its probe's row of `rows` (probes × dimensions, all zero on entry) as soon as it is
    /// read, so neither the file's bytes nor its texts are held — memory is the reader's chunk and one record,
    /// where reading the whole recording first held every text (and an AlpacaEval file's bytes) per worker.
    ///
    /// Bit-identical to `embed(_:into:)` on the aligned recording: a probe's first answer is embedded straight
    /// into its row by the same `drainOne` and `RowFinisher`; when any probe has several non-blank samples, that path averages
    /// every probe from zero in sample order and renormalises, and so does `finish` here.
    func embedStreaming(file path: String, probeSet: ProbeSet, format: RecordingFormat?,
                        into rows: UnsafeMutableBufferPointer<Float>,
                        counter: FeatureCounter) throws(InputError) -> EmbeddingStack.Facts {
        let probes = probeSet.probes.count, dims = model.dimensions, model = self.model
        precondition(rows.count == probes * dims)
        let projection = SparseProjection(model: model)
        var aligner = StreamingAligner(set: probeSet, keepTexts: false)
        /// Per probe: the sample embedded in its row, while it has only one.
        var single = [Int?](repeating: nil, count: probes)
        /// Probes with several non-blank samples: each sample's own row, moved out of the stack.
        var several: [Int: [(sample: Int, row: [Float])]] = [:]
        var finisher = RowFinisher(model: model, vectorKernels: counter.vectorKernels)
        let header = try RecordingReader.forEachAnswer(path: path, format: format) { answer in
            guard let p = aligner.place(answer), let base = rows.baseAddress, dims > 0 else { return }
            let row = base + p * dims
            if single[p] == nil && several[p] == nil {
                single[p] = answer.sample
                Self.drainOne(answer.output, counter: counter, projection: projection, model: model, row: row)
                finisher.add(row)
                return
            }
            if let first = single[p] {
                finisher.flush()
                // A second sample: the first one's row moves out, to be averaged with the others at the end.
                several[p] = [(first, Array(UnsafeBufferPointer(start: row, count: dims)))]
                row.update(repeating: 0, count: dims)
                single[p] = nil
            }
            var own = [Float](repeating: 0, count: dims)
            own.withUnsafeMutableBufferPointer { buffer in
                if let start = buffer.baseAddress {
                    Self.embedOne(answer.output, counter: counter, projection: projection, model: model, row: start)
                }
            }
            several[p, default: []].append((answer.sample, own))
        }
        finisher.flush()
        guard let base = rows.baseAddress, dims > 0 else {
            return EmbeddingStack.Facts(model: header.model, source: header.source, sha256: header.sha256,
                                        answered: [Bool](repeating: false, count: probes))
        }
        if !several.isEmpty {
            for p in 0..<probes {
                let row = base + p * dims
                if let samples = several[p] {
                    for (_, own) in samples.sorted(by: { $0.sample < $1.sample }) {
                        for d in 0..<dims { row[d] += own[d] }
                    }
                } else if single[p] != nil {
                    // The averaging path adds each row to zero: the same values, but a -0 becomes +0.
                    for d in 0..<dims { row[d] = 0 + row[d] }
                } else {
                    continue
                }
                Self.normalize(row, count: dims)
            }
        }
        let answered = Self.answered(base, probes: probes, dimensions: dims)
        return EmbeddingStack.Facts(model: header.model, source: header.source, sha256: header.sha256,
                                    answered: answered)
    }

    /// This embedder with one worker thread (everything else unchanged).
    private var singleThreaded: Embedder {
        var copy = self
        copy.threads = 1
        return copy
    }

    /// Reads, aligns and embeds one recording file.
    public func embed(file path: String, probeSet: ProbeSet, format: RecordingFormat? = nil) throws(InputError) -> EmbeddedRecording {
        embed(try Aligner.align(path: path, format: format, to: probeSet))
    }
}
