import Foundation

/// Embeddings of recording files kept on disk between runs, so that comparing many models again
/// (a new model added to a matrix of fifty) re-embeds only what changed.
///
/// An entry's key is the SHA-256 of everything the embedding of a file depends on: the file's bytes
/// (their SHA-256), the parts of its name the reader uses (the model name a file without one takes
/// from it, and the `.csv` suffix format detection looks at), the forced input format, the probe set
/// (the SHA-256 of its `probes.jsonl`), the embedding model (`EmbeddingModel.sha256`), the engine that
/// computes embeddings (tool version and the SHA-256 of the running executable, so a rebuilt featurizer
/// never meets embeddings from the old one) and the entry format. The embedder's thread count is not
/// in it: rows are bit-identical for any count.
///
/// Knowing the key means hashing the file, so a hit still costs one streaming SHA-256 pass over it;
/// that is far cheaper than parsing, aligning and embedding (see README). Entries carry their own
/// SHA-256 (`EmbeddingCacheEntry`): a damaged, truncated or foreign entry is reported through
/// `observer` and recomputed, never used. Entries are written to a unique temporary file and renamed
/// into place, so a reader sees a whole entry or none, and two processes storing the same entry both
/// succeed (the bytes are the same; the last rename wins).
///
/// The cache serves only what an `EmbeddedRecording` holds: commands that also need the aligned
/// answer texts (`compare`/`attribute` exhibits and n-gram divergences, `calibrate`) read the files
/// themselves and take only the embeddings from it (`embedding(of:format:probeSet:embedder:)`).
public struct EmbeddingCache: Sendable {
    /// What happened to one file; the CLI counts hits and prints refusals and failed writes.
    public enum Event: Sendable, Equatable {
        case hit(source: String)
        case miss(source: String)
        /// An entry existed but could not be used (damaged, other format version, …); the embedding
        /// was recomputed and the entry replaced.
        case refused(source: String, entry: String, reason: String)
        /// The computed embedding could not be written; the result is unaffected.
        case storeFailed(source: String, reason: String)
    }

    /// The cache folder (holding `embeddings/` and a `CACHEDIR.TAG`).
    public let directory: String
    /// The identity of the code that computes embeddings (part of every key).
    public let engine: String
    /// Told of every lookup; called from whichever thread embeds the file.
    public var observer: (@Sendable (Event) -> Void)?

    static let entriesFolder = "embeddings"
    static let entryExtension = "lnemb"

    /// Opens (creating if needed) the cache in `directory`, keyed to the running executable.
    public init(directory: String, observer: (@Sendable (Event) -> Void)? = nil) throws(EmbeddingCacheError) {
        let engine: String
        switch Self.runningEngine {
        case let .success(identity): engine = identity
        case let .failure(error): throw error
        }
        try self.init(directory: directory, engine: engine, observer: observer)
    }

    /// Opens the cache with an explicit engine identity (tests stand in for a rebuilt executable).
    init(directory: String, engine: String, observer: (@Sendable (Event) -> Void)? = nil) throws(EmbeddingCacheError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EmbeddingCacheError(path: directory, "is not a folder") }
        } else {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw EmbeddingCacheError(path: directory, "cannot create the cache folder: \(error.localizedDescription)")
            }
        }
        self.directory = directory
        self.engine = engine
        self.observer = observer
        Self.writeTag(in: directory)
    }

    /// `lineage <version>, executable sha256 <hex>`, computed once per process (one read of the binary).
    static let runningEngine: Result<String, EmbeddingCacheError> = {
        #if os(Linux)
        let executable = "/proc/self/exe"
        #else
        let executable = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
        #endif
        do throws(InputError) {
            let hash = try SHA256Digest.hex(ofFile: executable)
            return .success("\(ToolInfo.name) \(ToolInfo.version), executable sha256 \(hash)")
        } catch {
            return .failure(EmbeddingCacheError(path: executable, "cannot identify the running executable: \(error.message)"))
        }
    }()

    // MARK: Keys

    /// The entry key of a file whose bytes hash to `recordingSHA256`, read from `path`.
    func key(recordingSHA256: String, path: String, format: RecordingFormat?, probeSet: ProbeSet,
             model: EmbeddingModel) -> String {
        let fields = [
            "lineage embedding cache",
            "entry-format \(EmbeddingCacheEntry.formatVersion)",
            "engine \(engine)",
            "recording-sha256 \(recordingSHA256)",
            "input-format \(format?.rawValue ?? "detected")",
            "csv-by-name \(format == nil && path.lowercased().hasSuffix(".csv"))",
            "fallback-model-name \(RecordingReader.modelName(fromPath: path))",
            "probe-set-sha256 \(probeSet.sha256)",
            "embedding-model-sha256 \(model.sha256)",
        ]
        // Length-prefixed, so that no file name can make two different field lists one text.
        return SHA256Digest.hex(of: fields.map { "\($0.utf8.count):\($0)\n" }.joined())
    }

    func entryPath(_ key: String) -> String {
        "\(directory)/\(Self.entriesFolder)/\(key.prefix(2))/\(key).\(Self.entryExtension)"
    }

    // MARK: Lookup

    /// The embedding of one recording file: from the cache when a valid entry matches, else read,
    /// aligned and embedded by `embedder` (exactly as `Embedder.embed(file:probeSet:format:)`) and stored.
    /// Errors are those of reading the file uncached.
    func entry(file path: String, probeSet: ProbeSet, format: RecordingFormat?,
               embedder: Embedder) throws(InputError) -> EmbeddingCacheEntry {
        // A file that cannot be hashed is left to the reader, so the error is the one an uncached run gives.
        if let fileHash = try? SHA256Digest.hex(ofFile: path) {
            let key = key(recordingSHA256: fileHash, path: path, format: format, probeSet: probeSet, model: embedder.model)
            if let entry = lookup(key: key, source: path, recordingSHA256: fileHash, probeSet: probeSet, model: embedder.model) {
                return entry
            }
        } else {
            observer?(.miss(source: path))
        }
        let aligned = try Aligner.align(path: path, format: format, to: probeSet)
        let entry = EmbeddingCacheEntry(embedded: embedder.embed(aligned), format: aligned.format,
                                        notes: aligned.notes, summary: aligned.summary)
        // Stored under the hash of the bytes actually parsed (the file may have changed since it was hashed).
        store(entry, key: key(recordingSHA256: aligned.sha256, path: path, format: format, probeSet: probeSet,
                              model: embedder.model), source: path)
        return entry
    }

    /// The embedding of a recording already read and aligned (by a command that needs its texts too): from
    /// the cache when an entry for its bytes (`aligned.sha256`, the hash of what was parsed), name, format,
    /// probe set and model exists, else embedded by `embedder` and stored. Bit-identical to
    /// `embedder.embed(aligned)`.
    func embedding(of aligned: AlignedRecording, format: RecordingFormat?, probeSet: ProbeSet,
                   embedder: Embedder) -> EmbeddedRecording {
        let key = key(recordingSHA256: aligned.sha256, path: aligned.source, format: format, probeSet: probeSet,
                      model: embedder.model)
        if let entry = lookup(key: key, source: aligned.source, recordingSHA256: aligned.sha256, probeSet: probeSet,
                              model: embedder.model) {
            return entry.embedded
        }
        let embedded = embedder.embed(aligned)
        store(EmbeddingCacheEntry(embedded: embedded, format: aligned.format, notes: aligned.notes, summary: aligned.summary),
              key: key, source: aligned.source)
        return embedded
    }

    /// `load`, with the outcome told to `observer` (hit, miss or refusal); the entry on a hit.
    private func lookup(key: String, source: String, recordingSHA256: String, probeSet: ProbeSet,
                        model: EmbeddingModel) -> EmbeddingCacheEntry? {
        switch load(key: key, source: source, recordingSHA256: recordingSHA256, probeSet: probeSet, model: model) {
        case let .found(entry):
            observer?(.hit(source: source))
            return entry
        case .absent:
            observer?(.miss(source: source))
        case let .refused(reason):
            observer?(.refused(source: source, entry: entryPath(key), reason: reason))
        }
        return nil
    }

    /// `store`, with a failure told to `observer` (the result does not depend on the entry being written).
    private func store(_ entry: EmbeddingCacheEntry, key: String, source: String) {
        do { try store(entry, key: key) } catch {
            observer?(.storeFailed(source: source, reason: error.message))
        }
    }

    enum Lookup {
        case found(EmbeddingCacheEntry)
        case absent
        case refused(String)
    }

    func load(key: String, source: String, recordingSHA256: String, probeSet: ProbeSet,
              model: EmbeddingModel) -> Lookup {
        let path = entryPath(key)
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            return .refused("unreadable: \(error.localizedDescription)")
        }
        let entry: EmbeddingCacheEntry
        do throws(EmbeddingCacheEntry.Refusal) {
            entry = try EmbeddingCacheEntry.decode(bytes, key: key, source: source)
        } catch {
            return .refused(error.description)
        }
        // The key covers all of these; checked again so that a bug or a collision cannot pass unseen.
        let embedded = entry.embedded
        guard embedded.sha256 == recordingSHA256, embedded.modelSHA256 == model.sha256,
              embedded.probeCount == probeSet.probes.count, embedded.embeddings.columns == model.dimensions,
              embedded.familyColumns == model.familyColumns, entry.summary.probes == probeSet.probes.count else {
            return .refused("entry does not match the recording, probe set or embedding model")
        }
        return .found(entry)
    }

    // MARK: Store

    /// Writes `entry` to a unique temporary file beside its place, then renames it into place.
    func store(_ entry: EmbeddingCacheEntry, key: String) throws(EmbeddingCacheError) {
        let path = entryPath(key)
        let folder = (path as NSString).deletingLastPathComponent
        let bytes: [UInt8]
        do { bytes = try entry.encoded(key: key) } catch {
            throw EmbeddingCacheError(path: path, "cannot encode the entry: \(error)")
        }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            // Another process may have created it at the same moment.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw EmbeddingCacheError(path: folder, "cannot create: \(error.localizedDescription)")
            }
        }
        let temporary = "\(folder)/.\(key).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp"
        do { try Data(bytes).write(to: URL(fileURLWithPath: temporary), options: .withoutOverwriting) } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw EmbeddingCacheError(path: temporary, "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw EmbeddingCacheError(path: path, "cannot move the entry into place: \(reason)")
        }
    }

    /// Marks the folder as a cache for backup tools (https://bford.info/cachedir/); best effort.
    private static func writeTag(in directory: String) {
        let tag = (directory as NSString).appendingPathComponent("CACHEDIR.TAG")
        guard !FileManager.default.fileExists(atPath: tag) else { return }
        let text = """
            Signature: 8a477f597d28d172789f06886806bc55
            # This file is a cache directory tag created by lineage (embedding cache).
            # For information about cache directory tags see https://bford.info/cachedir/

            """
        try? Data(text.utf8).write(to: URL(fileURLWithPath: tag), options: .atomic)
    }
}
