import Foundation
import LineageKit
import Testing

/// `verify` covers the manifest itself (issue 19: a folder whose manifest.json was edited — command line,
/// tool version, input roles — or that held planted extra files passed).
@Suite("CLI: verify covers the manifest", .serialized)
struct VerifyManifestCLITests {
    static let fixture: Result<String, Error> = Result {
        let folder = try SyntheticCorpus.temporaryFolder("verify-manifest")
        let output = try CLI.run(["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                                 + SyntheticCorpus.options, in: folder)
        guard output.status == 0 else { throw CLI.CLIError(description: "compare --out failed: \(output.stderr)") }
        return folder
    }

    /// A copy of the result folder with `edit` applied to its manifest's JSON, verified.
    static func verifyEdited(_ name: String, _ edit: ((inout [String: Any]) -> Void)? = nil,
                             files: (String) throws -> Void = { _ in }) throws -> CLI.Output {
        let original = try fixture.get() + "/out"
        let copy = try CLI.temporaryFolder("verify-\(name)") + "/out"
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let path = copy + "/manifest.json"
        if let edit {
            var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
            edit(&manifest)
            try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                .write(to: URL(fileURLWithPath: path))
        }
        try files(copy)
        return try CLI.run(["verify", copy, "--quiet"])
    }

    @Test func untouchedCopyVerifies() throws {
        let result = try Self.verifyEdited("untouched")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("the manifest itself reproduce byte for byte"))
    }

    @Test("an edited command line is found before anything is re-run")
    func editedArguments() throws {
        let result = try Self.verifyEdited("arguments") { manifest in
            var invocation = manifest["invocation"] as? [String: Any] ?? [:]
            invocation["arguments"] = (invocation["arguments"] as? [String] ?? []).map { $0 == "teacher.jsonl" ? "other.jsonl" : $0 }
            manifest["invocation"] = invocation
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("the manifest's invocation is not what its command line means"), "\(result.stderr)")
    }

    @Test("options outside their ranges in the invocation are refused, not run (no trap)")
    func editedOptions() throws {
        let result = try Self.verifyEdited("options") { manifest in
            var invocation = manifest["invocation"] as? [String: Any] ?? [:]
            var options = invocation["options"] as? [String: Any] ?? [:]
            options["permutations"] = -5
            invocation["options"] = options
            manifest["invocation"] = invocation
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("invocation field \"options\""), "\(result.stderr)")
    }

    @Test func editedToolVersion() throws {
        let result = try Self.verifyEdited("tool") { manifest in manifest["tool"] = ["name": "lineage", "version": "9.9.9"] }
        #expect(result.status == 1)
        #expect(result.stderr.contains("made by lineage 9.9.9; this is lineage"), "\(result.stderr)")
    }

    @Test func editedInputRole() throws {
        let result = try Self.verifyEdited("role") { manifest in
            var inputs = manifest["inputs"] as? [[String: Any]] ?? []
            inputs[0]["role"] = "panel"
            manifest["inputs"] = inputs
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("the manifest's input list was edited"), "\(result.stderr)")
    }

    @Test func addedKeyIsFoundByTheByteComparison() throws {
        let result = try Self.verifyEdited("added-key") { manifest in manifest["note"] = "trust me" }
        #expect(result.status == 1)
        #expect(result.stderr.contains("manifest.json: edited (same fields, other bytes"), "\(result.stderr)")
    }

    @Test func plantedFilesAreFound() throws {
        let result = try Self.verifyEdited("planted", files: { folder in
            try Data("<script>".utf8).write(to: URL(fileURLWithPath: folder + "/extra.html"))
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/.hidden"))
        })
        #expect(result.status == 1)
        #expect(result.stderr.contains("not written by Lineage (not in the manifest): extra.html"), "\(result.stderr)")
        #expect(result.stderr.contains("not written by Lineage (not in the manifest): .hidden"), "\(result.stderr)")
    }
}
