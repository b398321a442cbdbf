import Foundation
import Testing
@testable import LineageKit

/// The expected outcome of one bad (or odd) input, from `Tests/Fixtures/expected.json`.
struct FixtureExpectation: Decodable, Sendable {
    /// `error` (the file is refused with a located message) or `accepted` (read, problems counted).
    var outcome: String
    /// `recording` (default) or `probe-set`.
    var readAs: String?
    var inputFormat: String?
    // error
    var kind: String?
    var line: Int?
    var column: Int?
    var messageContains: String?
    // accepted recording
    var model: String?
    var format: String?
    var answers: Int?
    var aligned: Int?
    var missing: Int?
    var empty: Int?
    var duplicate: Int?
    var conflicting: Int?
    var unknown: Int?
    var byteOrderMark: Bool?
    var crlfLines: Int?
    var blankLines: Int?
    var failedRequests: Int?
    // accepted probe set
    var probes: Int?

    static func loadManifest() -> [String: FixtureExpectation] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = FileManager.default.contents(atPath: FixturePaths.fixture("expected.json")),
              let manifest = try? decoder.decode([String: FixtureExpectation].self, from: data) else { return [:] }
        return manifest
    }
}

@Suite struct FixtureManifestTests {
    static let manifest = FixtureExpectation.loadManifest()

    @Test func manifestCoversEveryFixture() throws {
        #expect(Self.manifest.count > 50)
        var onDisk: [String] = []
        for folder in ["recordings", "probesets", "regressions"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: FixturePaths.fixture(folder))) ?? []
            onDisk += names.map { "\(folder)/\($0)" }
        }
        #expect(Set(onDisk) == Set(Self.manifest.keys), "every fixture needs an expected outcome, and every outcome a file")
    }

    @Test(arguments: manifest.keys.sorted())
    func fixtureHasItsExactOutcome(_ name: String) throws {
        let expected = try #require(Self.manifest[name])
        let path = FixturePaths.fixture(name)
        do {
            if expected.readAs == "probe-set" {
                let set = try ProbeSet.load(path: path)
                #expect(expected.outcome == "accepted", "\(name) was accepted")
                #expect(set.probes.count == expected.probes)
                return
            }
            let format = try expected.inputFormat.map { try #require(RecordingFormat(rawValue: $0)) }
            let recording = try RecordingReader.read(path: path, format: format)
            let set = try ProbeSet.load(path: FixturePaths.probes)
            let aligned = Aligner.align(recording, to: set)
            #expect(expected.outcome == "accepted", "\(name) was accepted: \(aligned.summary)")
            #expect(recording.model == expected.model)
            #expect(recording.format.rawValue == expected.format)
            #expect(recording.answers.count == expected.answers)
            let s = aligned.summary
            #expect([s.aligned, s.missing, s.empty, s.duplicate, s.conflicting, s.unknown] ==
                    [expected.aligned, expected.missing, expected.empty, expected.duplicate, expected.conflicting, expected.unknown])
            #expect(s.aligned + s.missing + s.empty == s.probes, "every probe is counted once")
            #expect(recording.notes.byteOrderMark == (expected.byteOrderMark ?? false))
            #expect(recording.notes.crlfLines == (expected.crlfLines ?? 0))
            #expect(recording.notes.blankLines == (expected.blankLines ?? 0))
            #expect(recording.notes.failedRequests.count == (expected.failedRequests ?? 0))
        } catch let error as InputError {
            #expect(expected.outcome == "error", "\(name) was refused: \(error)")
            #expect(error.kind.rawValue == expected.kind)
            #expect(error.location.path == path, "the error names the file")
            #expect(error.location.line == expected.line)
            #expect(error.location.column == expected.column)
            #expect(error.message.contains(expected.messageContains ?? "\u{0}"), "message: \(error.message)")
            #expect(error.description.hasPrefix(path), "the printed error starts with the file")
        }
    }
}
