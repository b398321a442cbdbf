import ArgumentParser
import Foundation
import LineageKit

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or empty the embedding cache (see --cache on lineage matrix).",
        subcommands: [Info.self, Clear.self]
    )

    /// The folder: `--cache DIR`, else `$LINEAGE_CACHE`.
    struct Folder: ParsableArguments {
        @Option(name: .customLong("cache"), help: ArgumentHelp("The cache folder (default: $LINEAGE_CACHE).", valueName: "dir"))
        var cache: String?

        func resolve() throws -> String {
            if let folder = CacheOptions.folder(cache) { return folder }
            throw ValidationError("name the cache folder with --cache DIR or $\(CacheOptions.environmentVariable)")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "info", abstract: "Count the cached embeddings and their size.")

        @OptionGroup var folder: Folder

        /// At parse time, so that a missing folder is reported with this subcommand's usage.
        func validate() throws { _ = try folder.resolve() }

        func run() throws {
            let directory = try folder.resolve()
            let contents = EmbeddingCache.contents(of: directory)
            say("\(directory): \(contents.entries) cached embedding(s), \(Self.size(contents.bytes))"
                  + (contents.leftovers > 0 ? "; \(contents.leftovers) leftover temporary file(s)" : ""))
        }

        static func size(_ bytes: Int) -> String {
            bytes < 1 << 20 ? "\(bytes) bytes" : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear", abstract: "Remove every cached embedding (only files the cache wrote are touched).")

        @OptionGroup var folder: Folder

        func validate() throws { _ = try folder.resolve() }

        func run() throws {
            let directory = try folder.resolve()
            let removed = try EmbeddingCache.clear(directory)
            say("\(directory): removed \(removed.entries) cached embedding(s), \(Info.size(removed.bytes))"
                  + (removed.leftovers > 0 ? " and \(removed.leftovers) leftover temporary file(s)" : ""))
        }
    }
}
