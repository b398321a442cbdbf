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
        // The leave-one-student-out figures docs/METHOD.md states (2026-12-03), as floors.
        let metrics = try JSONDecoder().decode(Calibration.self, from: fresh).metrics
        let all = try #require(metrics.first { $0.tier == "all" })
        let high = try #require(metrics.first { $0.tier == "high" })
        let medium = try #require(metrics.first { $0.tier == "medium" })
        #expect(all.pairs == 250)
        #expect(all.auc >= 0.95)
        #expect(high.rightTeacherFirst >= 5 && medium.rightTeacherFirst >= 11)
        #expect(all.falseNotDistilled == 0)
        #expect(all.falseDistilled <= 5)
        #expect(all.trueDistilled >= 8)
    }
}
