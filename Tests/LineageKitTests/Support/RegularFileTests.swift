import Foundation
import Testing
@testable import LineageKit
#if canImport(Glibc)
import Glibc
#endif

/// Non-regular inputs are refused up front, naming the path and what it is (issue 19: a FIFO hung forever,
/// `/dev/zero` grew memory until the process died, `verify` hashed a manifest-named `/dev/zero` forever, a
/// symbolic link loop was "no such file").
@Suite("RegularFile")
struct RegularFileTests {
    /// A folder with a FIFO, a symbolic link loop, a dangling link and a link to a regular file.
    static func hostileFolder() throws -> String {
        let folder = try FixturePaths.temporaryDirectory().path
        #expect(mkfifo(folder + "/fifo.jsonl", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop-a.jsonl", withDestinationPath: folder + "/loop-b.jsonl")
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop-b.jsonl", withDestinationPath: folder + "/loop-a.jsonl")
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.jsonl", withDestinationPath: folder + "/nowhere")
        try FileManager.default.createSymbolicLink(atPath: folder + "/good.jsonl",
                                                   withDestinationPath: FixturePaths.fixture("recordings/good.jsonl"))
        return folder
    }

    @Test func refusesWithWhatItIs() throws {
        let folder = try Self.hostileFolder()
        let cases = [(folder + "/fifo.jsonl", "is a pipe (FIFO), not a regular file"),
                     ("/dev/zero", "is a character device"),
                     (folder, "is a directory, expected a file"),
                     (folder + "/loop-a.jsonl", "a symbolic link loop"),
                     (folder + "/dangling.jsonl", "a symbolic link to a file that does not exist"),
                     (folder + "/absent.jsonl", "no such file")]
        for (path, reason) in cases {
            let refusal = try #require(RegularFile.check(path), "\(path) is refused")
            #expect(refusal.path == path && refusal.reason.hasPrefix(reason), "\(refusal)")
        }
        #expect(RegularFile.check(folder + "/good.jsonl") == nil, "a symbolic link to a regular file is fine")
    }

    @Test("readers, the probe set loader and the hasher refuse before reading (a FIFO would block the test)")
    func everyReaderRefuses() throws {
        let folder = try Self.hostileFolder()
        for path in [folder + "/fifo.jsonl", "/dev/zero"] {
            for format in [nil] + RecordingFormat.allCases.map(Optional.some) {
                #expect(throws: InputError.self) { try RecordingReader.read(path: path, format: format) }
            }
            #expect(throws: InputError.self) { try ProbeSet.load(path: path) }
            #expect(throws: InputError.self) { try SHA256Digest.hex(ofFile: path) }
            #expect(throws: InputError.self) {
                try Aligner.align(path: path, format: .canonical, to: ProbeSet.load(path: FixturePaths.probes), keepTexts: false)
            }
        }
        do {
            _ = try RecordingReader.read(path: folder + "/fifo.jsonl")
        } catch {
            #expect(error.kind == .unreadable && error.description.hasPrefix(folder + "/fifo.jsonl: is a pipe"), "\(error)")
        }
    }

    @Test func manifestMustBeARegularFileOfBoundedSize() throws {
        let folder = try FixturePaths.temporaryDirectory().path
        #expect(mkfifo(folder + "/manifest.json", 0o600) == 0)
        #expect(throws: ReportError.self) { try Manifest.load(directory: folder) }
        let big = try FixturePaths.temporaryDirectory().path
        try FileManager.default.createSymbolicLink(atPath: big + "/manifest.json", withDestinationPath: "/dev/zero")
        do {
            _ = try Manifest.load(directory: big)
            Issue.record("a manifest linked to /dev/zero was read")
        } catch {
            #expect("\(error)".contains("is a character device"), "\(error)")
        }
    }

    @Test func smallFileReadIsBounded() throws {
        let path = try FixturePaths.temporaryDirectory().path + "/f"
        try Data(repeating: 0x41, count: 100).write(to: URL(fileURLWithPath: path))
        #expect(try RegularFile.read(path, limit: 100).get().count == 100)
        guard case let .failure(refusal) = RegularFile.read(path, limit: 99) else { Issue.record("read past the limit"); return }
        #expect(refusal.reason.contains("larger than 99 bytes"))
    }
}
