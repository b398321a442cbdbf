extension Embedder {
    /// Reads, aligns and embeds recording files one at a time, keeping only the embeddings: a file's
    /// texts are released before the next file is read, so memory grows with probes × dimensions per
    /// model, not with the size of the answers.
    public func embed(files: [String], probeSet: ProbeSet, format: RecordingFormat? = nil) throws(InputError) -> [EmbeddedRecording] {
        var out: [EmbeddedRecording] = []
        out.reserveCapacity(files.count)
        for path in files {
            let embedded = try embed(file: path, probeSet: probeSet, format: format)
            out.append(embedded)
        }
        return out
    }

    /// Reads, aligns and embeds one recording file.
    public func embed(file path: String, probeSet: ProbeSet, format: RecordingFormat? = nil) throws(InputError) -> EmbeddedRecording {
        let recording = try RecordingReader.read(path: path, format: format)
        return embed(Aligner.align(recording, to: probeSet))
    }
}
