import Foundation
import Testing
@testable import LineageKit

/// The calibration that ships with the alpaca-eval probe set must belong to the shipped configuration
/// and be what `lineage calibrate` produces from the shipped data.
@Suite("Shipped calibration")
struct ShippedCalibrationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let releaseBinary = ProcessInfo.processInfo.environment["LINEAGE_RELEASE_BIN"]

    @Test func fittedOnTheBundledModelAndProbeSet() throws {
        let calibration = try Calibration.load(path: Self.path("Probes/alpaca-eval/calibration.json"))
        let model = try EmbeddingModel(contentsOf: Self.path("Sources/LineageKit/Embedding/Resources/\(EmbeddingModel.bundledName).lnm"))
        let set = try ProbeSet.load(path: Self.path("Probes/alpaca-eval"))
        #expect(calibration.embeddingModelSHA256 == model.sha256, "recalibrate after changing the model: make calibrate")
        #expect(calibration.probeSetSHA256 == set.sha256)
        #expect(calibration.pairs.count == 250)
        #expect(calibration.map.features == EvidenceFeature.standard.map(\.description))
        #expect(calibration.map.weights[0] > 0)  // more n-gram likeness, more support for distillation
    }

    /// A run of a labelled student carries its labelled pairs among the run's candidates, in the run's
    /// order, as the calibration judged them without it; a run of any other student carries none.
    @Test func aLabelledStudentsRunCarriesItsHeldOutPairs() throws {
        let calibration = try Calibration.load(path: Self.path("Probes/alpaca-eval/calibration.json"))
        let model = try EmbeddingModel(contentsOf: Self.path("Sources/LineageKit/Embedding/Resources/\(EmbeddingModel.bundledName).lnm"))
        let set = try ProbeSet.load(path: Self.path("Probes/alpaca-eval"))
        let candidates = ["text_davinci_003", "gpt4_0314", "gpt-3.5-turbo-0301"]
        let labelled = calibration.reference(probeSet: set, model: model, panel: calibration.panel, student: "vicuna-13b",
                                             candidates: candidates)
        #expect(labelled.studentInCalibration)
        let expected = candidates.compactMap { teacher in calibration.pairs.first { $0.student == "vicuna-13b" && $0.teacher == teacher } }
        #expect(expected.map(\.teacher) == ["text_davinci_003", "gpt-3.5-turbo-0301"], "vicuna-13b has no labelled pair with gpt4_0314")
        #expect(labelled.heldOutPairs == expected)
        let sentence = try #require(labelled.heldOutSentence(student: "vicuna-13b"))
        #expect(sentence.contains("text_davinci_003 (independent, high) log10 LR \(String(format: "%.2f", expected[0].log10LikelihoodRatio))"))
        let other = calibration.reference(probeSet: set, model: model, panel: calibration.panel, student: "Starling-LM-7B-alpha",
                                          candidates: candidates)
        #expect(!other.studentInCalibration && other.heldOutPairs == nil && other.heldOutSentence(student: "Starling-LM-7B-alpha") == nil)
    }

    /// `fitted_on` names the bytes the calibration was fitted on: the pairs file and every labelled and
    /// panel recording, each by the SHA-256 of the file shipped beside it.
    @Test func recordsTheHashOfEveryFileItWasFittedOn() throws {
        let calibration = try Calibration.load(path: Self.path("Probes/alpaca-eval/calibration.json"))
        let inputs = try #require(calibration.fittedOn)
        #expect(inputs.pairsSHA256 == (try SHA256Digest.hex(ofFile: Self.path("Probes/alpaca-eval/recordings/pairs.json"))))
        let models = Set(calibration.pairs.flatMap { [$0.student, $0.teacher] })
        #expect(Set(inputs.labelled.map(\.model)) == models && inputs.labelled.count == 36)
        for recording in inputs.labelled {
            #expect(recording.sha256 == (try SHA256Digest.hex(ofFile: Self.path("Probes/alpaca-eval/recordings/\(recording.model).jsonl"))),
                    "labelled \(recording.model)")
        }
        #expect(inputs.panel.map(\.model) == calibration.panel)
        for recording in inputs.panel {
            #expect(recording.sha256 == (try SHA256Digest.hex(ofFile: Self.path("Probes/alpaca-eval/panel/\(recording.model).jsonl"))),
                    "panel \(recording.model)")
        }
    }

    /// Re-fits the calibration from the shipped recordings with the release binary (`make test` sets
    /// LINEAGE_RELEASE_BIN) and checks it is byte-identical to the shipped file and meets the targets.
    @Test(.enabled(if: releaseBinary != nil, "needs LINEAGE_RELEASE_BIN (set by make test)"))
    func reproducedByteForByteWithItsErrorRates() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.releaseBinary ?? "")
        process.currentDirectoryURL = Self.root
        process.arguments = ["calibrate", "--pairs", "Probes/alpaca-eval/recordings/pairs.json",
                             "--recordings", "Probes/alpaca-eval/recordings", "--write", output.path, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let fresh = try Data(contentsOf: output)
        let shipped = try Data(contentsOf: URL(fileURLWithPath: Self.path("Probes/alpaca-eval/calibration.json")))
        #expect(fresh == shipped, "the shipped calibration is not what `lineage calibrate` makes now: run make calibrate")
        // The leave-one-student-out figures docs/METHOD.md states (2026-12-07, non-negative weights), as floors.
        let metrics = try JSONOutput.decode(Calibration.self, from: fresh).metrics
        let all = try #require(metrics.first { $0.tier == "all" })
        let high = try #require(metrics.first { $0.tier == "high" })
        let medium = try #require(metrics.first { $0.tier == "medium" })
        #expect(all.pairs == 250)
        #expect(all.auc >= 0.92 && high.auc >= 0.98)
        #expect(high.rightTeacherFirst >= 5 && medium.rightTeacherFirst >= 9)
        #expect(all.falseNotDistilled == 0)
        #expect(all.falseDistilled <= 2 && high.falseDistilled == 0)
        #expect(all.trueDistilled >= 10)
        // The length check's own figures (docs/FINDINGS.md, "Length check"), as floors, and its record.
        let adjustment = try #require(try JSONOutput.decode(Calibration.self, from: fresh).lengthAdjustment)
        let adjustedAll = try #require(adjustment.metrics.first { $0.tier == "all" })
        let adjustedMedium = try #require(adjustment.metrics.first { $0.tier == "medium" })
        #expect(adjustment.shifts.map(\.family) == ["ngram", "markdown", "lines", "edges", "phrases", "shape"])
        #expect(adjustedAll.auc >= 0.96 && adjustedMedium.rightTeacherFirst >= 13)
        #expect(adjustment.withinTeacher.map(\.teacher) == ["gpt-3.5-turbo-0301", "gpt4_0314", "text_davinci_003"])
        let agreement = try #require(adjustment.agreement)
        #expect(agreement.agreeing + agreement.differing == all.distilledStudents)
        #expect(agreement.agreeingRight + agreement.differingVerdictRight == all.rightTeacherFirst)
        #expect(agreement.differingAdjustedRight > agreement.differingVerdictRight)
    }
}

/// A calibration file is checked on load: a hand edit that makes its numbers contradict each other is refused.
@Suite("Calibration file validation")
struct CalibrationValidationTests {
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: ShippedCalibrationTests.path("Probes/alpaca-eval/calibration.json")))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&object)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func map(_ object: inout [String: Any], _ key: String, _ value: Any) {
        var map = object["map"] as? [String: Any] ?? [:]
        map[key] = value
        object["map"] = map
    }

    /// Edits the length adjustment's first shift and its map.
    static func lengthAdjustment(_ object: inout [String: Any], _ edit: (inout [[String: Any]], inout [String: Any]) -> Void) {
        var adjustment = object["length_adjustment"] as? [String: Any] ?? [:]
        var shifts = adjustment["shifts"] as? [[String: Any]] ?? []
        var map = adjustment["map"] as? [String: Any] ?? [:]
        edit(&shifts, &map)
        adjustment["shifts"] = shifts
        adjustment["map"] = map
        object["length_adjustment"] = adjustment
    }

    static func fittedOn(_ object: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var inputs = object["fitted_on"] as? [String: Any] ?? [:]
        edit(&inputs)
        object["fitted_on"] = inputs
    }

    @Test func theShippedFileLoads() throws {
        _ = try Calibration.load(path: try Self.edited { _ in })
    }

    @Test("reversed bounds, a missing weight, an unknown feature, a bad threshold, a length adjustment at odds with the map or input hashes at odds with the pairs and panel are refused")
    func inconsistentFilesAreRefused() throws {
        let edits: [(inout [String: Any]) -> Void] = [
            { Self.map(&$0, "lower_bound_log10", 2.35); Self.map(&$0, "upper_bound_log10", -1.41) },
            { Self.map(&$0, "upper_bound_log10", 5.0) },
            { Self.map(&$0, "weights", [0.1]) },
            { Self.map(&$0, "features", ["ngram", "edges", "phrases.z", "lines", "markdown", "nonsense"]) },
            { Self.map(&$0, "scales", [1, 1, 1, 1, 1, -1]) },
            { var options = $0["options"] as? [String: Any] ?? [:]; options["decision_log10_lr"] = -1; $0["options"] = options },
            { Self.lengthAdjustment(&$0) { shifts, _ in shifts[0]["edges"] = [0.1, 0.2] } },
            { Self.lengthAdjustment(&$0) { _, map in map["features"] = ["ngram", "edges", "phrases.z", "lines", "markdown", "lines"] } },
            { Self.lengthAdjustment(&$0) { _, map in map["upper_bound_log10"] = 5.0 } },
            { Self.lengthAdjustment(&$0) { shifts, _ in shifts.removeLast() } },
            { Self.lengthAdjustment(&$0) { shifts, _ in shifts[1]["family"] = "nonsense" } },
            { Self.fittedOn(&$0) { $0["pairs_sha256"] = "not a hash" } },
            { Self.fittedOn(&$0) { inputs in inputs["panel"] = Array((inputs["panel"] as? [Any] ?? []).dropLast()) } },
            { Self.fittedOn(&$0) { inputs in
                let labelled = inputs["labelled"] as? [Any] ?? []
                inputs["labelled"] = Array(labelled.dropLast()) + Array(labelled.prefix(1))
            } },
        ]
        for edit in edits {
            let path = try Self.edited(edit)
            #expect(throws: InputError.self) { try Calibration.load(path: path) }
        }
    }

    /// The calibration reader under seeded mutations of the shipped file (a deterministic stand-in, run in
    /// CI, for a fuzzer): truncations, flipped bytes, numbers replaced by extreme or malformed ones, lines
    /// dropped. Each mutant is either refused with an `InputError` or loads as a consistent calibration.
    @Test("mutated calibration files are refused with an InputError or load consistent; none crashes")
    func mutantsAreRefusedOrConsistent() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: ShippedCalibrationTests.path("Probes/alpaca-eval/calibration.json")))
        let bytes = [UInt8](original)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-mutant-\(UUID().uuidString).json").path
        let numbers = ["1e308", "-1e308", "0", "-0", "NaN", "1e-320", "99999999999999999999", "-1", "\"1\"", "null", "[]"]
        var generator = SeededGenerator(seed: 2026)
        var refused = 0, loaded = 0
        for round in 0..<240 {
            var mutant = bytes
            switch round % 4 {
            case 0: mutant = Array(mutant.prefix(generator.index(below: mutant.count)))
            case 1:
                for _ in 0..<(1 + generator.index(below: 4)) {
                    mutant[generator.index(below: mutant.count)] = UInt8(truncatingIfNeeded: generator.next())
                }
            case 2:
                // A number token (a digit run after a space, line break, ':', ',' or '[') replaced.
                let starts = mutant.indices.filter { k in
                    k > 0 && " \n:,[".utf8.contains(mutant[k - 1]) && (mutant[k] == UInt8(ascii: "-") || (48...57).contains(mutant[k]))
                }
                let start = starts[generator.index(below: starts.count)]
                var end = start + 1
                while end < mutant.count, "0123456789.eE+-".utf8.contains(mutant[end]) { end += 1 }
                mutant.replaceSubrange(start..<end, with: Array(numbers[generator.index(below: numbers.count)].utf8))
            default:
                let lines = mutant.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                var kept = lines
                kept.remove(at: generator.index(below: lines.count))
                mutant = Array(kept.joined(separator: [UInt8(ascii: "\n")]))
            }
            try Data(mutant).write(to: URL(fileURLWithPath: path))
            do {
                let calibration = try Calibration.load(path: path)
                #expect(calibration.inconsistency == nil)
                loaded += 1
            } catch is InputError {
                refused += 1
            }
        }
        #expect(refused > 100, "most mutants break the file: \(refused) refused, \(loaded) loaded")
    }
}
