import Foundation
import LineageKit
import Testing

@Suite("CLI: embedding cache (--cache, LINEAGE_CACHE, lineage cache)")
struct CacheCLITests {
    static let files = ["student.jsonl", "teacher.jsonl", "other.jsonl"] + (0..<3).map { "panel/panel\($0).jsonl" }
    static let common = ["--probes", "probes.jsonl", "--model", "model.lnm"]

    static func entries(_ cache: String) -> [String] {
        (FileManager.default.subpaths(atPath: cache) ?? []).filter { $0.hasSuffix(".lnemb") }.sorted()
    }

    static func folderFiles(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        return files
    }

    @Test("compare --json and attribute --out give the same bytes uncached, cold and warm, and share entries with matrix")
    func analysisCommands() throws {
        let folder = try SyntheticCorpus.temporaryFolder("cache-analysis")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lineage = try CLI.executable()
        // student, teacher and the 8 panel models: 10 recordings.
        let compare = ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--json"] + SyntheticCorpus.options
        let uncached = try CLI.run(executable: lineage, compare, in: folder)
        #expect(uncached.status == 0 && !uncached.stderr.contains("cache"), "\(uncached.stderr)")
        let cold = try CLI.run(executable: lineage, compare + ["--cache", "c"], in: folder)
        #expect(cold.stderr.contains("embeddings served from cache: 0 of 10 (c)"), "\(cold.stderr)")
        #expect(Self.entries(folder + "/c").count == 10)
        let warm = try CLI.run(executable: lineage, compare + ["--cache", "c"], in: folder)
        #expect(warm.stderr.contains("embeddings served from cache: 10 of 10 (c)"), "\(warm.stderr)")
        #expect(cold.stdoutBytes == uncached.stdoutBytes && warm.stdoutBytes == uncached.stdoutBytes)

        // The report folder: the same files (the manifest records the arguments, so it names --cache).
        let attribute = ["attribute", "--student", "student.jsonl", "--candidate", "teacher.jsonl", "--candidate", "other.jsonl"]
            + SyntheticCorpus.options
        let plain = try CLI.run(executable: lineage, attribute + ["--out", "plain"], in: folder)
        let cached = try CLI.run(executable: lineage, attribute + ["--out", "cached", "--cache", "c"], in: folder)
        #expect(plain.status == 0 && cached.status == 0, "\(cached.stderr)")
        #expect(cached.stderr.contains("embeddings served from cache: 10 of 11 (c)"), "\(cached.stderr)")
        var a = try Self.folderFiles(folder + "/plain"), b = try Self.folderFiles(folder + "/cached")
        a["manifest.json"] = nil
        b["manifest.json"] = nil
        #expect(a == b && !a.isEmpty)

        // matrix finds the entries compare stored (same key: bytes, name, format, probe set, model, executable).
        let matrix = try CLI.run(executable: lineage, ["matrix", "student.jsonl", "teacher.jsonl", "--json", "--cache", "c"]
                                 + Self.common, in: folder)
        #expect(matrix.stderr.contains("embeddings served from cache: 2 of 2 (c)"), "\(matrix.stderr)")
    }

    @Test("matrix --json prints the same bytes uncached, cold and warm; stderr says how many embeddings came from the cache")
    func matrixJSON() throws {
        let folder = try SyntheticCorpus.temporaryFolder("cache-json")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lineage = try CLI.executable()
        let arguments = ["matrix"] + Self.files + Self.common + ["--json"]
        let uncached = try CLI.run(executable: lineage, arguments, in: folder)
        #expect(uncached.status == 0, "\(uncached.stderr)")
        #expect(!uncached.stderr.contains("cache"))

        let cold = try CLI.run(executable: lineage, arguments + ["--cache", "c"], in: folder)
        #expect(cold.status == 0, "\(cold.stderr)")
        #expect(cold.stderr.contains("embeddings served from cache: 0 of 6 (c)"), "\(cold.stderr)")
        #expect(Self.entries(folder + "/c").count == 6)
        #expect(FileManager.default.fileExists(atPath: folder + "/c/CACHEDIR.TAG"))

        // The environment variable turns the cache on too.
        let warm = try CLI.run(executable: lineage, arguments, in: folder, environment: ["LINEAGE_CACHE": "c"])
        #expect(warm.status == 0, "\(warm.stderr)")
        #expect(warm.stderr.contains("embeddings served from cache: 6 of 6 (c)"), "\(warm.stderr)")
        #expect(cold.stdoutBytes == uncached.stdoutBytes && warm.stdoutBytes == uncached.stdoutBytes)

        // A damaged entry: a warning naming it, recomputed, the same bytes on stdout, and repaired.
        let entry = folder + "/c/" + Self.entries(folder + "/c")[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: entry))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: entry))
        let damaged = try CLI.run(executable: lineage, arguments + ["--cache", "c"], in: folder)
        #expect(damaged.status == 0, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("warning: cache entry") && damaged.stderr.contains("SHA-256 mismatch"), "\(damaged.stderr)")
        #expect(damaged.stderr.contains("served from cache: 5 of 6"), "\(damaged.stderr)")
        #expect(damaged.stdoutBytes == uncached.stdoutBytes)

        // --no-cache wins over the environment; both flags together are refused.
        let off = try CLI.run(executable: lineage, arguments + ["--no-cache"], in: folder, environment: ["LINEAGE_CACHE": "d"])
        #expect(off.status == 0 && !off.stderr.contains("cache") && !FileManager.default.fileExists(atPath: folder + "/d"))
        #expect(off.stdoutBytes == uncached.stdoutBytes)
        let both = try CLI.run(executable: lineage, arguments + ["--cache", "c", "--no-cache"], in: folder)
        #expect(both.status != 0 && both.stderr.contains("--cache and --no-cache"))

        // A cache that cannot be opened: a warning, and the same result.
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain"))
        let unusable = try CLI.run(executable: lineage, arguments + ["--cache", "plain"], in: folder)
        #expect(unusable.status == 0 && unusable.stderr.contains("warning: not using the embedding cache"))
        #expect(unusable.stdoutBytes == uncached.stdoutBytes)
    }

    @Test("matrix --out writes byte-identical folders (manifest included) with and without the cache; verify never uses it")
    func matrixOut() throws {
        let folder = try SyntheticCorpus.temporaryFolder("cache-out")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lineage = try CLI.executable()
        // Each run writes the same folder name (the command line, folder included, is in the manifest).
        func run(_ environment: [String: String]) throws -> (CLI.Output, [String: Data]) {
            try? FileManager.default.removeItem(atPath: folder + "/m")
            let output = try CLI.run(executable: lineage, ["matrix"] + Self.files + Self.common
                                     + ["--out", "m", "--tree-bootstrap", "10", "--quiet"], in: folder, environment: environment)
            #expect(output.status == 0, "\(output.stderr)")
            return (output, try Self.folderFiles(folder + "/m"))
        }
        let (_, plain) = try run([:])
        let (_, cold) = try run(["LINEAGE_CACHE": "c"])
        let (warm, warmFiles) = try run(["LINEAGE_CACHE": "c"])
        #expect(warm.stderr.contains("served from cache: 6 of 6"), "\(warm.stderr)")
        #expect(plain.count == 9 && plain["manifest.json"] != nil)
        #expect(cold == plain && warmFiles == plain)
        // verify re-runs from the manifest, computing every embedding: an empty cache stays empty.
        let verified = try CLI.run(executable: lineage, ["verify", folder + "/m", "--quiet"], in: folder,
                                   environment: ["LINEAGE_CACHE": folder + "/v"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(!verified.stderr.contains("cache") && !FileManager.default.fileExists(atPath: folder + "/v"))
    }

    @Test("lineage cache info counts entries and clear removes them")
    func infoAndClear() throws {
        let folder = try SyntheticCorpus.temporaryFolder("cache-info")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lineage = try CLI.executable()
        let filled = try CLI.run(executable: lineage, ["matrix"] + Self.files + Self.common + ["--cache", "c"], in: folder)
        #expect(filled.status == 0, "\(filled.stderr)")
        let info = try CLI.run(executable: lineage, ["cache", "info", "--cache", "c"], in: folder)
        #expect(info.status == 0 && info.stdout.contains("c: 6 cached embedding(s)"), "\(info.stdout)")
        let cleared = try CLI.run(executable: lineage, ["cache", "clear"], in: folder, environment: ["LINEAGE_CACHE": "c"])
        #expect(cleared.status == 0 && cleared.stdout.contains("removed 6 cached embedding(s)"), "\(cleared.stdout)")
        #expect(Self.entries(folder + "/c").isEmpty)
        let again = try CLI.run(executable: lineage, ["cache", "info", "--cache", "c"], in: folder)
        #expect(again.stdout.contains("c: 0 cached embedding(s)"))
    }
}
