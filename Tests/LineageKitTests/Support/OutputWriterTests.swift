import Foundation
import Testing
@testable import LineageKit

@Suite struct OutputWriterTests {
    static func temporary() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lineage-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func writeReplacesWholeAndLeavesNoTemporaryFile() throws {
        let folder = try Self.temporary()
        let path = folder + "/result.json"
        try OutputWriter.write("old", to: path)
        try OutputWriter.write("new content", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["result.json"])
    }

    @Test func writeIntoMissingFolderFailsWithoutTrace() throws {
        let folder = try Self.temporary()
        let error = try #require(throws: OutputError.self) { try OutputWriter.write("x", to: folder + "/no/such/file.json") }
        #expect(error.message.contains("cannot create"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test(arguments: ["../x", "a/../../x", "/etc/passwd", "", "a/\0b", "..", "a/.."])
    func resolveRefusesEscapes(_ name: String) throws {
        let folder = try Self.temporary()
        #expect(throws: OutputError.self) { try OutputWriter.resolve(name, under: folder) }
    }

    @Test func resolveAcceptsNamesInside() throws {
        let folder = try Self.temporary()
        #expect(try OutputWriter.resolve("report.json", under: folder) == folder + "/report.json")
        #expect(try OutputWriter.resolve("models/a.json", under: folder) == folder + "/models/a.json")
        #expect(try OutputWriter.resolve("x.json", under: folder + "/not-yet") == folder + "/not-yet/x.json")
    }

    @Test func resolveRefusesASymbolicLinkLeadingOut() throws {
        let folder = try Self.temporary(), outside = try Self.temporary()
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: outside)
        #expect(throws: OutputError.self) { try OutputWriter.resolve("link/x.json", under: folder) }
    }

    @Test func safeFileNameKeepsPlainNames() {
        for name in ["gpt-4o-2024-05-13", "llama-2-70b-chat-hf", "Qwen1.5-7B-Chat", "a_b.c"] {
            #expect(OutputWriter.safeFileName(name) == name)
        }
    }

    @Test func safeFileNameNeutralisesHostileNames() {
        let hostile = ["../../etc/x", "a;rm -rf", "$(x)", "org/name", "", ".", "..", ".hidden", "-rf", "`id`", "a\0b",
                       "模型", String(repeating: "x", count: 500), "a b", "a/b", "a_b", "a:b"]
        var seen: [String: String] = [:]
        for name in hostile {
            let safe = OutputWriter.safeFileName(name)
            #expect(!safe.isEmpty && safe != "." && safe != "..")
            #expect(!safe.hasPrefix(".") && !safe.hasPrefix("-"))
            #expect(safe.utf8.count <= OutputWriter.maximumNameLength)
            #expect(safe.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-").contains($0) })
            if let other = seen[safe] { Issue.record("\"\(name)\" and \"\(other)\" both map to \(safe)") }
            seen[safe] = name
        }
    }

    @Test func safeFileNamesNeverCollide() {
        // "a/b" and "a_b" share a mapping but not a result; a name shaped like a hashed one is hashed too.
        let a = OutputWriter.safeFileName("a/b"), b = OutputWriter.safeFileName("a_b")
        #expect(a != b)
        let lookalike = OutputWriter.safeFileName(a)
        #expect(lookalike != a)
        #expect(OutputWriter.safeFileName("a/b") == a, "stable")
    }
}
