import Foundation
import LineageKit
import Testing

@Suite("CLI: compare/attribute --out, manifest and verify", .serialized)
struct ReportCommandTests {
    /// One synthetic corpus and one `compare --out` run shared by the tests below (each copies what it changes).
    static let fixture: Result<String, Error> = Result {
        let folder = try SyntheticCorpus.temporaryFolder("report")
        let output = try CLI.run(executable: try CLI.executable(),
                                 ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                                 + SyntheticCorpus.options, in: folder)
        guard output.status == 0 else {
            throw CLI.CLIError(description: "compare --out failed (\(output.status)): \(output.stderr)")
        }
        return folder
    }

    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    @Test("the result folder holds report.json/md/html, the plots and a manifest hashing every output")
    func folderContents() throws {
        let folder = try Self.fixture.get()
        let out = (folder as NSString).appendingPathComponent("out")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        for name in ["report.json", "report.md", "report.html", "manifest.json", "per-probe.svg", "ranking.svg", "tippett.svg"] {
            #expect(files.contains(name), "missing \(name)")
        }
        let manifest = try Manifest.load(directory: out)
        #expect(manifest.invocation.subcommand == "compare")
        #expect(manifest.invocation.options.bootstrapResamples == 20)
        #expect(Set(manifest.outputs.map(\.file)) == files.subtracting(["manifest.json"]))
        for output in manifest.outputs {
            #expect(try Self.sha256sum((out as NSString).appendingPathComponent(output.file)) == output.sha256)
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("report.json")))) as? [String: Any]
        #expect(json?["teacher"] as? String == "teacher")
        #expect(json?["exhibits"] != nil)
    }

    @Test("the manifest's input hashes equal sha256sum of the inputs")
    func inputHashes() throws {
        let folder = try Self.fixture.get()
        let manifest = try Manifest.load(directory: (folder as NSString).appendingPathComponent("out"))
        let roles = Set(manifest.inputs.map(\.role))
        #expect(roles == ["student", "candidate", "panel", "probe-set", "embedding-model"])
        #expect(manifest.inputs.filter { $0.role == "panel" }.count == SyntheticCorpus.panelModels)
        for input in manifest.inputs {
            #expect(input.resolved.hasPrefix("/"))
            #expect(try Self.sha256sum(input.resolved) == input.sha256, "\(input.path)")
        }
    }

    @Test("verify passes on an untouched result and fails naming the file after one input byte changes")
    func verify() throws {
        let original = try Self.fixture.get()
        let verified = try CLI.run(["verify", (original as NSString).appendingPathComponent("out"), "--quiet"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("reproduce byte for byte"))

        // Work on a copy: change one byte of the teacher's recording.
        let copy = try CLI.temporaryFolder("verify")
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let rerun = try CLI.run(executable: try CLI.executable(),
                                ["compare", "--student", "student.jsonl", "--teacher", "teacher.jsonl", "--out", "out"]
                                + SyntheticCorpus.options, in: copy)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let teacher = (copy as NSString).appendingPathComponent("teacher.jsonl")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: teacher))
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "q")) ?? bytes.firstIndex(of: UInt8(ascii: "a")))
        bytes[index] = bytes[index] == UInt8(ascii: "q") ? UInt8(ascii: "Q") : UInt8(ascii: "A")
        try bytes.write(to: URL(fileURLWithPath: teacher))
        let failed = try CLI.run(["verify", (copy as NSString).appendingPathComponent("out"), "--quiet"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("teacher.jsonl"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("student.jsonl"))

        // An edited output is named too.
        try Data(bytes.reversed()).write(to: URL(fileURLWithPath: teacher))
        try FileManager.default.removeItem(atPath: teacher)
        try FileManager.default.copyItem(atPath: (original as NSString).appendingPathComponent("teacher.jsonl"), toPath: teacher)
        let md = (copy as NSString).appendingPathComponent("out/report.md")
        try Data("edited\n".utf8).write(to: URL(fileURLWithPath: md))
        let edited = try CLI.run(["verify", (copy as NSString).appendingPathComponent("out"), "--quiet"])
        #expect(edited.status != 0)
        #expect(edited.stderr.contains("report.md"), "\(edited.stderr)")
        try? FileManager.default.removeItem(atPath: copy)
    }

    @Test("model text is escaped in the HTML, the Markdown and the SVG plots, never raw")
    func escaping() throws {
        let folder = try Self.fixture.get()
        let out = (folder as NSString).appendingPathComponent("out")
        let html = try String(contentsOfFile: (out as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains(SyntheticCorpus.attack))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&amp; its &lt;history&gt;."))
        let markdown = try String(contentsOfFile: (out as NSString).appendingPathComponent("report.md"), encoding: .utf8)
        #expect(!markdown.contains("<script"))
        for svg in ["per-probe.svg", "ranking.svg", "tippett.svg"] {
            let text = try String(contentsOfFile: (out as NSString).appendingPathComponent(svg), encoding: .utf8)
            #expect(!text.contains("<script"))
            #expect(text.hasPrefix("<svg"))
        }
    }

    @Test("attribute --out ranks the planted teacher first and reports its shared phrases")
    func attribute() throws {
        let folder = try Self.fixture.get()
        let output = try CLI.run(executable: try CLI.executable(),
                                 ["attribute", "--student", "student.jsonl", "--candidate", "other.jsonl",
                                  "--candidate", "teacher.jsonl", "--out", "attr", "--json"] + SyntheticCorpus.options, in: folder)
        #expect(output.status == 0, "\(output.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let ranking = document?["ranking"] as? [[String: Any]]
        #expect(ranking?.first?["model"] as? String == "teacher")
        let html = try String(contentsOfFile: (folder as NSString).appendingPathComponent("attr/report.html"), encoding: .utf8)
        #expect(html.contains("Which of 2 candidate teachers"))
        #expect(html.contains("Evidence: phrases student shares with teacher"))
        let verified = try CLI.run(["verify", (folder as NSString).appendingPathComponent("attr"), "--quiet"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
