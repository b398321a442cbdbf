import Foundation

/// Where the repository's test data lives, found from this file's path (no SwiftPM resources).
enum FixturePaths {
    /// The repository root: this file is `<root>/Tests/LineageKitTests/Input/FixturePaths.swift`.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    static let probes = fixtures.appendingPathComponent("probes.jsonl").path
    static let alpacaEval = root.appendingPathComponent("Probes/alpaca-eval")

    static func fixture(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lineage-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
