import Foundation
import Testing
@testable import LineageKit

@Suite struct ProbeSetTests {
    @Test func loadsTheFixtureSet() throws {
        let set = try ProbeSet.load(path: FixturePaths.probes)
        #expect(set.name == "probes")
        #expect(set.probes.map(\.id) == ["p1", "p2", "p3"])
        #expect(set.probes[0].category == "test")
        #expect(set.index(ofID: "p2") == 1)
        #expect(set.index(ofPrompt: "  Name a\n colour. ") == 0, "prompt lookup folds white space")
        #expect(set.index(ofID: "p9") == nil)
    }

    @Test func loadsBundledSetByFolderWithItsHash() throws {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        #expect(set.name == "alpaca-eval")
        #expect(set.probes.count == 805)
        #expect(set.probes.first?.id == "ae-001" && set.probes.last?.id == "ae-805")
        #expect(set.directory == FixturePaths.alpacaEval.path)
        #expect(set.sha256 == SHA256Digest.hex(of: try Data(contentsOf: FixturePaths.alpacaEval.appendingPathComponent("probes.jsonl"))))
    }

    @Test func duplicateIdIsRefusedWithItsFileLine() throws {
        // Line 2 of the fixture is blank, so the duplicate stands on line 4 of the file (the 3rd probe).
        let path = FixturePaths.fixture("probesets/duplicate-ids.jsonl")
        let error = try #require(throws: InputError.self) { try ProbeSet.load(path: path) }
        #expect(error.kind == .duplicateProbe)
        #expect(error.location == SourceLocation(path: path, line: 4))
        #expect(error.message == "duplicate probe id \"p1\" (first on line 1)")
    }

    @Test func initRefusesDuplicatesAndEmptySets() {
        #expect(throws: InputError.self) {
            try ProbeSet(name: "x", probes: [Probe(id: "a", prompt: "1"), Probe(id: "a", prompt: "2")],
                         sha256: "", path: "x.jsonl", directory: nil)
        }
        #expect(throws: InputError.self) { try ProbeSet(name: "x", probes: [], sha256: "", path: "x", directory: nil) }
    }

    @Test func resolveFindsNamedSetsAndRefusesUnknownOnes() throws {
        #expect(throws: InputError.self) { try ProbeSet.resolve("no-such-set-\(UUID().uuidString)") }
        #expect(try ProbeSet.resolve(FixturePaths.probes).probes.count == 3)
    }
}
