extension Embedder {
    /// Reads, aligns and embeds one recording file, or takes its embedding from `cache` when an entry
    /// for these exact bytes, probe set, format and model exists. With a nil cache this is
    /// `embed(file:probeSet:format:)`; with one, the result is bit-identical to it (only faster).
    public func embed(file path: String, probeSet: ProbeSet, format: RecordingFormat? = nil,
                      cache: EmbeddingCache?) throws(InputError) -> EmbeddedRecording {
        guard let cache else { return try embed(file: path, probeSet: probeSet, format: format) }
        return try cache.entry(file: path, probeSet: probeSet, format: format, embedder: self).embedded
    }

    /// `embed(_:)` of a recording already read and aligned, through `cache` when there is one (`format` is
    /// the one the user forced, part of the cache key).
    func embed(_ recording: AlignedRecording, format: RecordingFormat?, probeSet: ProbeSet,
               cache: EmbeddingCache?) -> EmbeddedRecording {
        guard let cache else { return embed(recording) }
        return cache.embedding(of: recording, format: format, probeSet: probeSet, embedder: self)
    }

    /// `embed(files:probeSet:format:)` through `cache`, one file at a time and in order.
    public func embed(files: [String], probeSet: ProbeSet, format: RecordingFormat? = nil,
                      cache: EmbeddingCache?) throws(InputError) -> [EmbeddedRecording] {
        guard let cache else { return try embed(files: files, probeSet: probeSet, format: format) }
        var out: [EmbeddedRecording] = []
        out.reserveCapacity(files.count)
        for path in files { out.append(try embed(file: path, probeSet: probeSet, format: format, cache: cache)) }
        return out
    }
}
