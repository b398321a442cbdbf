import Foundation

extension EmbeddingCache {
    /// What a cache folder holds.
    public struct Contents: Sendable, Equatable {
        /// Entry files, and their total size in bytes.
        public var entries = 0
        public var bytes = 0
        /// Temporary files left by a process that stopped while writing (removed by `clear`).
        public var leftovers = 0
    }

    /// Counts the entries under `directory` (nothing is opened or checked).
    public static func contents(of directory: String) -> Contents {
        var contents = Contents()
        forEachFile(in: directory) { path, isEntry in
            if isEntry {
                contents.entries += 1
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
                contents.bytes += size ?? 0
            } else {
                contents.leftovers += 1
            }
        }
        return contents
    }

    /// Removes every entry and leftover temporary file, and the shard folders they leave empty. Only
    /// files named as this cache names them are touched, so a mistyped `--cache` cannot delete other data.
    /// Returns what was removed.
    @discardableResult
    public static func clear(_ directory: String) throws(EmbeddingCacheError) -> Contents {
        var removed = Contents()
        var failure: EmbeddingCacheError?
        forEachFile(in: directory) { path, isEntry in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            do { try FileManager.default.removeItem(atPath: path) } catch {
                if failure == nil { failure = EmbeddingCacheError(path: path, "cannot remove: \(error.localizedDescription)") }
                return
            }
            if isEntry {
                removed.entries += 1
                removed.bytes += size ?? 0
            } else {
                removed.leftovers += 1
            }
        }
        let root = (directory as NSString).appendingPathComponent(entriesFolder)
        for shard in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where isShardName(shard) {
            let folder = (root as NSString).appendingPathComponent(shard)
            if (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
        if let failure { throw failure }
        return removed
    }

    /// Calls `body` with each entry (`true`) or leftover temporary file (`false`) in the cache folder.
    private static func forEachFile(in directory: String, _ body: (String, Bool) -> Void) {
        let root = (directory as NSString).appendingPathComponent(entriesFolder)
        let shards = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter(isShardName).sorted()
        for shard in shards {
            let folder = (root as NSString).appendingPathComponent(shard)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
                let path = (folder as NSString).appendingPathComponent(name)
                if isEntryName(name, shard: shard) { body(path, true) } else if isLeftoverName(name, shard: shard) { body(path, false) }
            }
        }
    }

    private static func isShardName(_ name: String) -> Bool { name.utf8.count == 2 && SHA256Digest.isHexDigits(name) }

    /// `<64 hex>.lnemb`, in the shard named by its first two characters.
    private static func isEntryName(_ name: String, shard: String) -> Bool {
        let suffix = "." + entryExtension
        guard name.hasSuffix(suffix) else { return false }
        let key = name.dropLast(suffix.count)
        return key.utf8.count == 64 && SHA256Digest.isHexDigits(key) && key.hasPrefix(shard)
    }

    /// `.<64 hex>.<pid>.<uuid>.tmp`, as `store` names its temporary files.
    private static func isLeftoverName(_ name: String, shard: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let key = name.dropFirst().prefix(64)
        return key.utf8.count == 64 && SHA256Digest.isHexDigits(key) && key.hasPrefix(shard)
    }
}
