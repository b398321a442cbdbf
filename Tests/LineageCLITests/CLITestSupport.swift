import Foundation
import LineageKit

/// Runs the built `lineage` executable and builds small synthetic inputs for end-to-end tests.
enum CLI {
    struct Output {
        var status: Int32
        /// Standard output exactly as written, for byte-for-byte comparisons.
        var stdoutBytes: Data
        var stderr: String
        var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    }

    /// The `lineage` binary built alongside the tests (same scratch folder and configuration).
    static func executable() throws -> String {
        var folders: [URL] = []
        for argument in CommandLine.arguments {
            let url = URL(fileURLWithPath: argument)
            folders.append(url.deletingLastPathComponent())
            if argument.hasSuffix(".xctest") { folders.append(url.deletingLastPathComponent()) }
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles { folders.append(bundle.bundleURL.deletingLastPathComponent()) }
        for folder in folders {
            let candidate = folder.appendingPathComponent("lineage").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw CLIError(description: "the lineage executable was not found next to the test bundle (looked in \(folders.map(\.path)))")
    }

    struct CLIError: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Output {
        try run(executable: try executable(), arguments, in: directory)
    }

    /// Runs `executable` with `arguments`, in `directory` when given, with `environment` added to this
    /// process's environment.
    static func run(executable: String, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so that a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdoutBytes: stdout,
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lineage-cli-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Synthetic recordings: 30 probes; a teacher with its own stock phrases, a student that copies them,
/// and 8 panel models with phrases of their own. Every answer also carries the probe's topic words.
enum SyntheticCorpus {
    static let probes = 30
    static let panelModels = 8
    static let attack = "<script>alert(1)</script>"

    static let topics = ["volcano", "bread", "river", "guitar", "planet", "garden", "bridge", "market", "winter", "ocean",
                         "castle", "engine", "forest", "letter", "mirror", "violin", "harbor", "desert", "candle", "rocket",
                         "island", "museum", "ladder", "meadow", "tunnel", "pepper", "saddle", "glacier", "lantern", "orchard"]
    static let filler = ["the", "a", "of", "and", "to", "is", "in", "that", "it", "for", "with", "as", "on", "this", "be"]

    static func phrases(_ seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        let syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "quel", "dir", "sam", "pe", "nor", "zu"]
        return (0..<6).map { _ in
            (0..<3).map { _ in (0..<2).map { _ in syllables[generator.index(below: syllables.count)] }.joined() }
                .joined(separator: " ")
        }
    }

    static func answer(probe: Int, style: [String], seed: UInt64, extra: String = "") -> String {
        var generator = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(probe))
        var words: [String] = []
        for k in 0..<40 {
            if k % 8 == 0 { words.append(style[generator.index(below: style.count)]) }
            words.append(generator.index(below: 3) == 0 ? topics[probe] : filler[generator.index(below: filler.count)])
        }
        return words.joined(separator: " ") + extra
    }

    static func jsonl(model: String, answers: [String]) -> String {
        answers.enumerated().map { p, text in
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "{\"probe\": \"p\(p + 1)\", \"model\": \"\(model)\", \"output\": \"\(escaped)\"}"
        }.joined(separator: "\n") + "\n"
    }

    /// A fresh temporary folder (`CLI.temporaryFolder`) holding the corpus (`write(into:)`).
    static func temporaryFolder(_ name: String) throws -> String {
        let folder = try CLI.temporaryFolder(name)
        try write(into: folder)
        return folder
    }

    /// Writes probes.jsonl, student.jsonl, teacher.jsonl, other.jsonl, panel/*.jsonl and model.lnm.
    static func write(into folder: String) throws {
        func put(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        try put((0..<probes).map { "{\"id\": \"p\($0 + 1)\", \"prompt\": \"Tell me about the \(topics[$0]) & its <history>.\", \"category\": \"test\"}" }
                    .joined(separator: "\n") + "\n", "probes.jsonl")
        let teacherStyle = phrases(1)
        let teacher = (0..<probes).map { answer(probe: $0, style: teacherStyle, seed: 11, extra: " " + attack) }
        let student = (0..<probes).map { answer(probe: $0, style: teacherStyle, seed: 12, extra: " " + attack) }
        try put(jsonl(model: "teacher", answers: teacher), "teacher.jsonl")
        try put(jsonl(model: "student", answers: student), "student.jsonl")
        try put(jsonl(model: "other", answers: (0..<probes).map { answer(probe: $0, style: phrases(3), seed: 13) }), "other.jsonl")
        try FileManager.default.createDirectory(atPath: (folder as NSString).appendingPathComponent("panel"),
                                                withIntermediateDirectories: true)
        for m in 0..<panelModels {
            let style = phrases(UInt64(100 + m))
            try put(jsonl(model: "panel\(m)", answers: (0..<probes).map { answer(probe: $0, style: style, seed: UInt64(200 + m)) }),
                    "panel/panel\(m).jsonl")
        }
        try put("""
            {"name": "test-ngram", "projection_seed": 7, "projection_nonzeros": 4, "lowercase": true, "probes": "", "idf_corpus": "",
             "families": [{"family": "char", "seed": 1, "buckets": 16384, "dimensions": 48, "weight": 1, "min_n": 3, "max_n": 5},
                          {"family": "word", "seed": 2, "buckets": 16384, "dimensions": 48, "weight": 1, "min_n": 1, "max_n": 2}]}
            """, "recipe.json")
        let model = try ModelRecipe.load(path: (folder as NSString).appendingPathComponent("recipe.json")).unfittedModel()
        try model.serialized().write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("model.lnm")))
    }

    /// The common options of a fast run on the synthetic corpus (relative paths; run from the folder).
    static let options = ["--probes", "probes.jsonl", "--panel", "panel", "--model", "model.lnm",
                          "--bootstrap", "20", "--permutations", "20", "--quiet"]
}
