import Foundation
import Testing
@testable import LineageKit

@Suite("ToolInfo: the version in manifests")
struct ToolInfoTests {
    @Test("the tool version is the changelog's newest entry, so a release that changes results says what changed")
    func versionIsTheChangelogsNewest() throws {
        let changelog = try String(contentsOf: FixturePaths.root.appendingPathComponent("docs/CHANGELOG.md"), encoding: .utf8)
        let versions = changelog.split(separator: "\n").filter { $0.hasPrefix("## ") }
            .map { $0.dropFirst(3).prefix { $0 != " " } }.map(String.init)
        #expect(versions.first == ToolInfo.version, "docs/CHANGELOG.md's first entry is \(versions.first ?? "none")")
        #expect(Set(versions).count == versions.count, "each version has one entry")
    }
}
