import Foundation
import Testing
@testable import LineageKit
#if canImport(Glibc)
import Glibc
#endif

/// `--out DIR` is put in place whole, only over Lineage's own files, by one run at a time (issue 19: a run
/// killed while replacing a report left a mix of old and new files; a user's report.html was overwritten;
/// stale outputs of an earlier command stayed beside the new manifest; concurrent runs all exited 0).
@Suite("ResultFolder")
struct ResultFolderTests {
    static let invocation = ReportInvocation(subcommand: "matrix", arguments: ["lineage", "matrix"], workingDirectory: "/",
                                             probeSet: "p", probeSetPath: "p", modelPath: "m")

    func write(_ files: [(String, String)], into directory: String, inputs: [String] = []) throws(ReportError) {
        let inputFiles = inputs.map { Manifest.InputFile(role: "recording", path: $0, resolved: $0, sha256: "") }
        _ = try ReportBuilder.write(files.map { ($0.0, Data($0.1.utf8)) }, invocation: Self.invocation,
                                    inputs: inputFiles, into: directory)
    }

    func contents(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test func writesTheFolderWholeAndLeavesNothingBeside() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try write([("a.csv", "1"), ("b.svg", "<svg/>")], into: parent + "/out")
        #expect(try contents(parent + "/out") == ["a.csv", "b.svg", "manifest.json"])
        #expect(try contents(parent) == ["out"], "no partial folder, no lock file left beside the result")
    }

    @Test("replacing a report of another command removes its stale outputs")
    func replacesWholeRemovingStaleOutputs() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try write([("report.html", "old"), ("ranking.svg", "old")], into: parent + "/out")
        try write([("matrix.json", "{}")], into: parent + "/out")
        #expect(try contents(parent + "/out") == ["manifest.json", "matrix.json"])
        #expect(try Manifest.load(directory: parent + "/out").outputs.map(\.file) == ["matrix.json"])
        #expect(try contents(parent) == ["out"])
    }

    @Test("a file Lineage did not write, or changed since, is refused and left untouched")
    func refusesForeignAndEditedFiles() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        let out = parent + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/report.html"))
        #expect(throws: ReportError.self) { try write([("report.html", "new")], into: out) }
        #expect(try String(contentsOfFile: out + "/report.html", encoding: .utf8) == "mine")

        try FileManager.default.removeItem(atPath: out)
        try write([("report.html", "lineage")], into: out)
        try Data("edited".utf8).write(to: URL(fileURLWithPath: out + "/report.html"))
        do {
            try write([("report.html", "new")], into: out)
            Issue.record("an edited output was replaced")
        } catch {
            #expect(error.description.contains("report.html (changed since Lineage wrote it)"), "\(error)")
        }
        #expect(try String(contentsOfFile: out + "/report.html", encoding: .utf8) == "edited")
        try Data("x".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        #expect(throws: ReportError.self) { try write([("report.html", "new")], into: out) }
        #expect(try contents(parent).filter { $0.contains("partial") }.isEmpty)
    }

    @Test("a folder holding one of the run's inputs is refused (matrix DIR --out DIR)")
    func refusesTheInputFolder() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: parent + "/in", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: parent + "/in/a.jsonl"))
        do {
            try write([("m.csv", "1")], into: parent + "/in", inputs: [parent + "/in/a.jsonl"])
            Issue.record("wrote into the input folder")
        } catch {
            #expect(error.description.contains("the result folder holds an input of this run"), "\(error)")
        }
        #expect(try contents(parent + "/in") == ["a.jsonl"])
    }

    @Test func refusesASymbolicLinkOrAFileAsTheFolder() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: parent + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: parent + "/link", withDestinationPath: parent + "/real")
        #expect(throws: ReportError.self) { try write([("a", "1")], into: parent + "/link") }
        try Data("x".utf8).write(to: URL(fileURLWithPath: parent + "/file"))
        #expect(throws: ReportError.self) { try write([("a", "1")], into: parent + "/file") }
    }

    @Test("a second run into the same folder is refused while the first holds the lock")
    func oneWriterAtATime() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        let lock = try FolderLock(parent: parent, name: "out", shown: "out")
        do {
            try write([("a", "1")], into: parent + "/out")
            Issue.record("wrote while another run held the lock")
        } catch {
            #expect(error.description.contains("another lineage run is writing this result folder"), "\(error)")
        }
        lock.release()
        try write([("a", "1")], into: parent + "/out")
    }

    @Test("a partial folder an interrupted run left is marked INCOMPLETE and removed by the next run")
    func interruptedRunsLeaveAMarkedPartialFolder() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try write([("a", "old")], into: parent + "/out")
        let partial = parent + "/.out.lineage-partial-1-2"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        try Data("…".utf8).write(to: URL(fileURLWithPath: partial + "/" + ResultFolder.incompleteMarker))
        try Data("half".utf8).write(to: URL(fileURLWithPath: partial + "/a"))
        #expect(try String(contentsOfFile: parent + "/out/a", encoding: .utf8) == "old", "the target is the whole old report")
        try write([("a", "new")], into: parent + "/out")
        #expect(try contents(parent) == ["out"])
        #expect(try String(contentsOfFile: parent + "/out/a", encoding: .utf8) == "new")
    }
}

extension ResultFolderTests {
    @Test("a result folder nested in another is kept when its parent is replaced, and verify leaves it to itself")
    func nestedResultFoldersAreKept() throws {
        let parent = try FixturePaths.temporaryDirectory().path
        try write([("report.html", "one")], into: parent + "/demo")
        try write([("tree.nwk", "(a,b);")], into: parent + "/demo/matrix")
        try write([("report.html", "two")], into: parent + "/demo")
        #expect(try contents(parent + "/demo") == ["manifest.json", "matrix", "report.html"])
        #expect(try String(contentsOfFile: parent + "/demo/matrix/tree.nwk", encoding: .utf8) == "(a,b);")
        #expect(try contents(parent) == ["demo"])
        let manifest = try Manifest.load(directory: parent + "/demo")
        #expect(manifest.unlistedEntries(in: parent + "/demo").isEmpty)
        try Data().write(to: URL(fileURLWithPath: parent + "/demo/.matrix.lineage-lock"))
        #expect(manifest.unlistedEntries(in: parent + "/demo").first?.contains("left by a lineage run") == true)
        try write([("report.html", "three")], into: parent + "/demo")
        #expect(try contents(parent + "/demo") == ["manifest.json", "matrix", "report.html"])
    }
}
