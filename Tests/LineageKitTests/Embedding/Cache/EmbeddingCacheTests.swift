import Foundation
import Testing
@testable import LineageKit

/// Collects cache events from any thread.
final class CacheEventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [EmbeddingCache.Event] = []

    var events: [EmbeddingCache.Event] { lock.withLock { stored } }
    func record(_ event: EmbeddingCache.Event) { lock.withLock { stored.append(event) } }
    func reset() { lock.withLock { stored = [] } }

    var hits: Int { events.filter { if case .hit = $0 { true } else { false } }.count }
    var misses: Int { events.filter { if case .miss = $0 { true } else { false } }.count }
    var refusals: [String] { events.compactMap { if case let .refused(_, _, reason) = $0 { reason } else { nil } } }
    var storeFailures: [String] { events.compactMap { if case let .storeFailed(_, reason) = $0 { reason } else { nil } } }
}

@Suite("Embedding: on-disk embedding cache")
struct EmbeddingCacheTests {
    /// Small recordings in every format and shape the readers accept (several samples, missing and
    /// empty answers, prompts instead of ids), read against the three-probe fixture set.
    static let fixtures = ["good.jsonl", "samples.jsonl", "missing-and-empty.jsonl", "prompt-only.jsonl", "alpaca.json",
                           "answers.csv", "openai-batch.jsonl", "bom.jsonl", "duplicate-conflicting.jsonl"]

    static func model() throws -> EmbeddingModel { try EmbeddingModel.bundled() }
    static func probes() throws -> ProbeSet { try ProbeSet.load(path: FixturePaths.probes) }

    struct Setup {
        let folder: URL
        let log = CacheEventLog()
        let cache: EmbeddingCache
        let embedder: Embedder

        init(engine: String = "test-engine", model: EmbeddingModel? = nil) throws {
            folder = try FixturePaths.temporaryDirectory()
            let log = self.log
            cache = try EmbeddingCache(directory: folder.appendingPathComponent("cache").path, engine: engine,
                                       observer: { log.record($0) })
            embedder = Embedder(model: try model ?? EmbeddingCacheTests.model(), threads: 2)
        }

        /// A copy of a fixture in the scratch folder (so that tests may change it).
        func copy(_ fixture: String, as name: String? = nil) throws -> String {
            let target = folder.appendingPathComponent(name ?? fixture).path
            try FileManager.default.copyItem(atPath: FixturePaths.fixture("recordings/\(fixture)"), toPath: target)
            return target
        }

        func onlyEntry() throws -> String {
            let root = folder.appendingPathComponent("cache/embeddings").path
            let files = try #require(FileManager.default.subpaths(atPath: root)).filter { $0.hasSuffix(".lnemb") }
            try #require(files.count == 1)
            return (root as NSString).appendingPathComponent(files[0])
        }
    }

    /// Every field a caller can see, with the embeddings compared by bit pattern.
    static func expectIdentical(_ a: EmbeddedRecording, _ b: EmbeddedRecording, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(a.model == b.model, sourceLocation: sourceLocation)
        #expect(a.source == b.source, sourceLocation: sourceLocation)
        #expect(a.sha256 == b.sha256, sourceLocation: sourceLocation)
        #expect(a.embeddings.rows == b.embeddings.rows && a.embeddings.columns == b.embeddings.columns,
                sourceLocation: sourceLocation)
        #expect(a.embeddings.values.map(\.bitPattern) == b.embeddings.values.map(\.bitPattern), sourceLocation: sourceLocation)
        #expect(a.answered == b.answered, sourceLocation: sourceLocation)
        #expect(a.familyColumns == b.familyColumns, sourceLocation: sourceLocation)
        #expect(a.modelVersion == b.modelVersion && a.modelSHA256 == b.modelSHA256, sourceLocation: sourceLocation)
    }

    @Test("a hit gives bit for bit what a cold run gives, for recordings of every format", arguments: fixtures)
    func hitEqualsCold(fixture: String) throws {
        let setup = try Setup()
        let set = try Self.probes()
        let path = FixturePaths.fixture("recordings/\(fixture)")
        let cold = try setup.embedder.embed(file: path, probeSet: set)
        let first = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path)])
        let second = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path), .hit(source: path)])
        Self.expectIdentical(first, cold)
        Self.expectIdentical(second, cold)
        // The entry also carries what the reader and aligner reported.
        let aligned = Aligner.align(try RecordingReader.read(path: path), to: set)
        let entry = try setup.cache.entry(file: path, probeSet: set, format: nil, embedder: setup.embedder)
        #expect(entry.format == aligned.format && entry.notes == aligned.notes && entry.summary == aligned.summary)
    }

    @Test("a real 805-probe recording: cached rows equal cold rows bit for bit, any thread count")
    func realRecording() throws {
        let setup = try Setup()
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        let path = FixturePaths.alpacaEval.appendingPathComponent("recordings/alpaca-7b.jsonl").path
        let cold = try Embedder(model: setup.embedder.model, threads: 1).embed(file: path, probeSet: set)
        _ = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        let warm = try Embedder(model: setup.embedder.model, threads: 3).embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.misses == 1 && setup.log.hits == 1)
        Self.expectIdentical(warm, cold)
        #expect(warm.probeCount == 805)
    }

    @Test("the file list overload keeps order and sources; the second run is all hits")
    func files() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let paths = ["good.jsonl", "alpaca.json", "samples.jsonl"].map { FixturePaths.fixture("recordings/\($0)") }
        let cold = try setup.embedder.embed(files: paths, probeSet: set)
        _ = try setup.embedder.embed(files: paths, probeSet: set, cache: setup.cache)
        let warm = try setup.embedder.embed(files: paths, probeSet: set, cache: setup.cache)
        #expect(setup.log.misses == 3 && setup.log.hits == 3)
        for (a, b) in zip(warm, cold) { Self.expectIdentical(a, b) }
    }

    @Test("a changed file is a miss and gives the embedding of its new content")
    func changedFile() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let path = try setup.copy("good.jsonl")
        let before = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        try Data("""
            {"probe": "p1", "model": "m", "output": "Blue, of course."}
            {"probe": "p2", "model": "m", "output": "One, two, three."}
            {"probe": "p3", "model": "m", "output": "Hello!"}

            """.utf8).write(to: URL(fileURLWithPath: path))
        setup.log.reset()
        let after = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path)])
        #expect(after.sha256 != before.sha256)
        Self.expectIdentical(after, try setup.embedder.embed(file: path, probeSet: set))
        #expect(after.embeddings.row(0) != before.embeddings.row(0))
    }

    @Test("another embedding model, engine, probe set or forced format is a miss")
    func otherInputsMiss() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let path = FixturePaths.fixture("recordings/good.jsonl")
        _ = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)

        // Another model (another SHA-256): a miss, with that model's embedding.
        let other = Embedder(model: try EmbeddingEmbedderTests.model(), threads: 1)
        #expect(other.model.sha256 != setup.embedder.model.sha256)
        setup.log.reset()
        let byOther = try other.embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path)])
        Self.expectIdentical(byOther, try other.embed(file: path, probeSet: set))

        // A rebuilt engine over the same folder: a miss.
        let log = CacheEventLog()
        let rebuilt = try EmbeddingCache(directory: setup.cache.directory, engine: "another-build", observer: { log.record($0) })
        _ = try setup.embedder.embed(file: path, probeSet: set, cache: rebuilt)
        #expect(log.events == [.miss(source: path)])

        // The same probes in a file with other bytes: another probe set identity.
        let probes = setup.folder.appendingPathComponent("probes.jsonl").path
        try Data((try String(contentsOfFile: FixturePaths.probes, encoding: .utf8) + "\n").utf8).write(to: URL(fileURLWithPath: probes))
        let sameProbesOtherBytes = try ProbeSet.load(path: probes)
        #expect(sameProbesOtherBytes.sha256 != set.sha256)
        setup.log.reset()
        _ = try setup.embedder.embed(file: path, probeSet: sameProbesOtherBytes, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path)])

        // Forcing the format the file would be detected as is still another key.
        setup.log.reset()
        let forced = try setup.embedder.embed(file: path, probeSet: set, format: .canonical, cache: setup.cache)
        #expect(setup.log.events == [.miss(source: path)])
        Self.expectIdentical(forced, try setup.embedder.embed(file: path, probeSet: set, format: .canonical))
    }

    @Test("a copy under another name takes its model name from its own path, as a cold read does")
    func renamedCopy() throws {
        let setup = try Setup()
        let set = try Self.probes()
        // prompt-only.jsonl names a model; a file whose records name none takes it from the file name.
        let first = setup.folder.appendingPathComponent("first-model.jsonl").path
        try Data("{\"probe\": \"p1\", \"output\": \"Red.\"}\n{\"probe\": \"p3\", \"output\": \"Hi\"}\n".utf8)
            .write(to: URL(fileURLWithPath: first))
        let second = setup.folder.appendingPathComponent("second-model.jsonl").path
        try FileManager.default.copyItem(atPath: first, toPath: second)
        let a = try setup.embedder.embed(file: first, probeSet: set, cache: setup.cache)
        let b = try setup.embedder.embed(file: second, probeSet: set, cache: setup.cache)
        #expect(a.model == "first-model" && b.model == "second-model")
        Self.expectIdentical(b, try setup.embedder.embed(file: second, probeSet: set))
        // The same name in another folder is the same key: a hit, reporting the caller's path.
        let elsewhere = setup.folder.appendingPathComponent("moved").path
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let moved = (elsewhere as NSString).appendingPathComponent("first-model.jsonl")
        try FileManager.default.copyItem(atPath: first, toPath: moved)
        setup.log.reset()
        let hit = try setup.embedder.embed(file: moved, probeSet: set, cache: setup.cache)
        #expect(setup.log.events == [.hit(source: moved)])
        Self.expectIdentical(hit, try setup.embedder.embed(file: moved, probeSet: set))
    }

    /// Damages the entry with `damage`, then checks: a refusal naming `reason`, the cold result, and a
    /// repaired entry (the next lookup hits).
    func expectRecovery(reason: String, _ damage: (String, [UInt8]) throws -> Void) throws {
        let setup = try Setup()
        let set = try Self.probes()
        let path = FixturePaths.fixture("recordings/samples.jsonl")
        let cold = try setup.embedder.embed(file: path, probeSet: set)
        _ = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        let entry = try setup.onlyEntry()
        try damage(entry, [UInt8](try Data(contentsOf: URL(fileURLWithPath: entry))))
        setup.log.reset()
        let recovered = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        let refusals = setup.log.refusals
        #expect(refusals.count == 1 && refusals.allSatisfy { $0.contains(reason) }, "refusals: \(refusals)")
        Self.expectIdentical(recovered, cold)
        setup.log.reset()
        Self.expectIdentical(try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache), cold)
        #expect(setup.log.events == [.hit(source: path)])
    }

    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test("a flipped bit in the embeddings is refused by the entry's SHA-256, recomputed and repaired")
    func flippedBit() throws {
        try expectRecovery(reason: "SHA-256 mismatch") { path, bytes in
            var damaged = bytes
            damaged[damaged.count - 40] ^= 0x01
            try Self.write(damaged, path)
        }
    }

    @Test("a truncated entry is refused, recomputed and repaired")
    func truncated() throws {
        try expectRecovery(reason: "SHA-256 mismatch") { path, bytes in try Self.write(Array(bytes.dropLast(100)), path) }
        try expectRecovery(reason: "truncated") { path, bytes in try Self.write(Array(bytes.prefix(10)), path) }
        try expectRecovery(reason: "truncated") { path, _ in try Self.write([], path) }
    }

    @Test("an entry of another format version or not an entry at all is refused")
    func foreignEntries() throws {
        try expectRecovery(reason: "cache format \(EmbeddingCacheEntry.formatVersion + 1)") { path, bytes in
            var other = bytes
            other[8] = UInt8(EmbeddingCacheEntry.formatVersion + 1)
            try Self.write(other, path)
        }
        try expectRecovery(reason: "bad magic") { path, _ in try Self.write(Array(String(repeating: "junk", count: 20).utf8), path) }
    }

    @Test("a whole, valid entry copied into another entry's place is refused by its key")
    func entryInWrongPlace() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let good = FixturePaths.fixture("recordings/good.jsonl")
        let other = FixturePaths.fixture("recordings/alpaca.json")
        _ = try setup.embedder.embed(file: good, probeSet: set, cache: setup.cache)
        let goodEntry = try setup.onlyEntry()
        let otherHash = try SHA256Digest.hex(ofFile: other)
        let otherKey = setup.cache.key(recordingSHA256: otherHash, path: other, format: nil, probeSet: set,
                                       model: setup.embedder.model)
        let otherEntry = setup.cache.entryPath(otherKey)
        try FileManager.default.createDirectory(atPath: (otherEntry as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: goodEntry, toPath: otherEntry)
        setup.log.reset()
        let result = try setup.embedder.embed(file: other, probeSet: set, cache: setup.cache)
        #expect(setup.log.refusals.count == 1 && setup.log.refusals[0].contains("belongs to key"))
        Self.expectIdentical(result, try setup.embedder.embed(file: other, probeSet: set))
    }

    @Test("concurrent lookups and writers of the same entries all get the cold result and leave whole entries")
    func concurrentWriters() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let paths = ["good.jsonl", "samples.jsonl", "alpaca.json"].map { FixturePaths.fixture("recordings/\($0)") }
        let cold = try paths.map { try setup.embedder.embed(file: $0, probeSet: set) }
        let workers = 24
        let results = ResultBox(count: workers)
        let embedder = setup.embedder, cache = setup.cache
        DispatchQueue.concurrentPerform(iterations: workers) { k in
            results.set(k, Result { () throws(InputError) in
                try embedder.embed(file: paths[k % paths.count], probeSet: set, cache: cache)
            })
        }
        for k in 0..<workers { Self.expectIdentical(try results.get(k), cold[k % paths.count]) }
        #expect(setup.log.refusals.isEmpty && setup.log.storeFailures.isEmpty)
        // Many stores of one entry racing: each rename replaces a whole file with the same bytes.
        let entry = try cache.entry(file: paths[0], probeSet: set, format: nil, embedder: embedder)
        let key = cache.key(recordingSHA256: entry.embedded.sha256, path: paths[0], format: nil, probeSet: set,
                            model: embedder.model)
        let failures = CacheEventLog()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            do throws(EmbeddingCacheError) { try cache.store(entry, key: key) } catch { failures.record(.storeFailed(source: "", reason: error.message)) }
        }
        #expect(failures.events.isEmpty)
        let contents = EmbeddingCache.contents(of: cache.directory)
        #expect(contents.entries == paths.count && contents.leftovers == 0)
        setup.log.reset()
        for (path, expected) in zip(paths, cold) {
            Self.expectIdentical(try embedder.embed(file: path, probeSet: set, cache: cache), expected)
        }
        #expect(setup.log.hits == paths.count)
    }

    @Test("an entry that cannot be written is reported; the result is still the cold one")
    func storeFailure() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let path = FixturePaths.fixture("recordings/good.jsonl")
        let hash = try SHA256Digest.hex(ofFile: path)
        let key = setup.cache.key(recordingSHA256: hash, path: path, format: nil, probeSet: set, model: setup.embedder.model)
        // A file where the entry's shard folder should be (works even for root, unlike permissions).
        let shard = (setup.cache.entryPath(key) as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: (shard as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Self.write([1], shard)
        let result = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache)
        #expect(setup.log.storeFailures.count == 1)
        Self.expectIdentical(result, try setup.embedder.embed(file: path, probeSet: set))
    }

    @Test("a file that cannot be read gives the same error with and without the cache")
    func sameErrors() throws {
        let setup = try Setup()
        let set = try Self.probes()
        for path in [setup.folder.appendingPathComponent("absent.jsonl").path, setup.folder.path,
                     FixturePaths.fixture("recordings/empty.jsonl"), FixturePaths.fixture("recordings/truncated.jsonl")] {
            var uncached: InputError?
            var cached: InputError?
            do { _ = try setup.embedder.embed(file: path, probeSet: set) } catch { uncached = error }
            do { _ = try setup.embedder.embed(file: path, probeSet: set, cache: setup.cache) } catch { cached = error }
            #expect(uncached != nil && cached == uncached, "\(path)")
        }
        #expect(EmbeddingCache.contents(of: setup.cache.directory).entries == 0)
    }

    @Test("contents and clear count and remove only the cache's own files")
    func maintenance() throws {
        let setup = try Setup()
        let set = try Self.probes()
        let paths = ["good.jsonl", "alpaca.json"].map { FixturePaths.fixture("recordings/\($0)") }
        _ = try setup.embedder.embed(files: paths, probeSet: set, cache: setup.cache)
        let entry = try #require(FileManager.default.subpaths(atPath: setup.cache.directory + "/embeddings")?
            .first { $0.hasSuffix(".lnemb") })
        let shard = setup.cache.directory + "/embeddings/" + (entry as NSString).deletingLastPathComponent
        let key = ((entry as NSString).lastPathComponent as NSString).deletingPathExtension
        try Self.write([0], shard + "/.\(key).123.ABC.tmp")
        try Self.write([0], shard + "/notes.txt")
        try Self.write([0], setup.cache.directory + "/keep.txt")
        let before = EmbeddingCache.contents(of: setup.cache.directory)
        #expect(before.entries == 2 && before.leftovers == 1 && before.bytes > 0)
        let removed = try EmbeddingCache.clear(setup.cache.directory)
        #expect(removed == before)
        #expect(EmbeddingCache.contents(of: setup.cache.directory) == EmbeddingCache.Contents())
        #expect(FileManager.default.fileExists(atPath: shard + "/notes.txt"))
        #expect(FileManager.default.fileExists(atPath: setup.cache.directory + "/keep.txt"))
        #expect(FileManager.default.fileExists(atPath: setup.cache.directory + "/CACHEDIR.TAG"))
    }

    @Test("a cache folder that is a file is refused with its path")
    func folderIsFile() throws {
        let folder = try FixturePaths.temporaryDirectory()
        let file = folder.appendingPathComponent("plain").path
        try Self.write([0], file)
        #expect(throws: EmbeddingCacheError(path: file, "is not a folder")) { try EmbeddingCache(directory: file, engine: "x") }
    }

    @Test("the running executable can be identified (the default engine of the CLI)")
    func engine() throws {
        let cache = try EmbeddingCache(directory: try FixturePaths.temporaryDirectory().path)
        #expect(cache.engine.contains("executable sha256 ") && cache.engine.count > 64)
    }
}

/// Results written from concurrent workers, one slot each.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<EmbeddedRecording, InputError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ result: Result<EmbeddedRecording, InputError>) { lock.withLock { slots[k] = result } }
    func get(_ k: Int) throws -> EmbeddedRecording {
        try #require(lock.withLock { slots[k] }).get()
    }
}
