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
        return try EmbeddingStack(files: files, probes: probes, model: model, threads: threads) {
            (path, row) throws(InputError) -> EmbeddingStack.Facts in
            if let cache {
                return try EmbeddingStack.place(try embedder.embed(file: path, probeSet: probeSet, format: format, cache: cache),
                                                into: row, probes: probes, model: model)
            }
            let aligned = Aligner.align(try RecordingReader.read(path: path, format: format), to: probeSet)
            let answered = embedder.embed(aligned, into: row)
            return EmbeddingStack.Facts(model: aligned.model, source: aligned.source, sha256: aligned.sha256,
                                        answered: answered)
        }
    }

    /// This embedder with one worker thread (everything else unchanged).
    private var singleThreaded: Embedder {
        var copy = self
        copy.threads = 1
        return copy
    }

    /// Reads, aligns and embeds one recording file.
    public func embed(file path: String, probeSet: ProbeSet, format: RecordingFormat? = nil) throws(InputError) -> EmbeddedRecording {
        let recording = try RecordingReader.read(path: path, format: format)
        return embed(Aligner.align(recording, to: probeSet))
    }
}
