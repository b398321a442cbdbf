import ArgumentParser
import Foundation
import LineageKit

/// `--cache DIR` / `$LINEAGE_CACHE` / `--no-cache`: reuse embeddings of recording files between runs.
/// Off unless asked for, so that a run depends on nothing but its inputs by default; a cached run gives
/// the same bytes on stdout and in result files as an uncached one and says on stderr how many
/// embeddings came from the cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: ArgumentHelp(
        "Reuse embeddings of recording files kept in this folder, and keep new ones there (default: $LINEAGE_CACHE, else off).",
        valueName: "dir"))
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Use no cache, even when $LINEAGE_CACHE is set.")
    var noCache = false

    static let environmentVariable = "LINEAGE_CACHE"

    func validate() throws {
        if noCache && cache != nil { throw ValidationError("--cache and --no-cache exclude each other") }
    }

    /// The folder asked for, if any.
    var directory: String? { noCache ? nil : Self.folder(cache) }

    /// `explicit` (a `--cache` value), else a non-empty `$LINEAGE_CACHE`.
    static func folder(_ explicit: String?) -> String? {
        if let explicit { return explicit }
        if let folder = ProcessInfo.processInfo.environment[environmentVariable], !folder.isEmpty { return folder }
        return nil
    }

    /// The cache to use, or nil when none was asked for or it cannot be opened (then with a warning:
    /// the run is still right without it, only slower).
    func open() -> CacheSession? {
        guard let directory else { return nil }
        if let problem = FolderTrust.problem(withTree: directory) {
            printError("warning: not using the embedding cache: \(problem)")
            return nil
        }
        let session = CacheSession(directory: directory)
        do {
            session.cache = try EmbeddingCache(directory: directory) { [weak session] event in session?.record(event) }
        } catch {
            printError("warning: not using the embedding cache: \(error)")
            return nil
        }
        return session
    }
}

/// An open cache and what happened to each file looked up in it.
final class CacheSession: @unchecked Sendable {
    let directory: String
    var cache: EmbeddingCache?
    private let lock = NSLock()
    private var hits = 0, lookups = 0

    init(directory: String) { self.directory = directory }

    func record(_ event: EmbeddingCache.Event) {
        switch event {
        case .hit: lock.withLock { hits += 1; lookups += 1 }
        case .miss: lock.withLock { lookups += 1 }
        case let .refused(source, entry, reason):
            lock.withLock { lookups += 1 }
            printError("warning: cache entry \(entry) for \(source) not used (\(reason)); embedding recomputed")
        case let .storeFailed(source, reason):
            printError("warning: the embedding of \(source) was not cached: \(reason)")
        }
    }

    /// `cache: embeddings served from cache: N of M (DIR)` on stderr.
    func printSummary() {
        let (served, total) = lock.withLock { (hits, lookups) }
        printError("cache: embeddings served from cache: \(served) of \(total) (\(directory))")
    }
}
