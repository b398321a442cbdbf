import Foundation
import Testing
@testable import LineageKit
#if canImport(Glibc)
import Glibc
#endif

/// The embedding cache is trusted only as far as its folder's permissions (issue 19: anyone who could write
/// the folder could plant embeddings whose stored hash matched their content).
@Suite("FolderTrust")
struct FolderTrustTests {
    @Test func privateFolderIsTrustedAndAMissingOneToo() throws {
        let folder = try FixturePaths.temporaryDirectory().path
        #expect(chmod(folder, 0o755) == 0)
        #expect(FolderTrust.problem(withTree: folder) == nil)
        #expect(FolderTrust.problem(with: folder + "/not-yet") == nil)
    }

    @Test func folderWritableByOthersIsNot() throws {
        let folder = try FixturePaths.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: folder + "/embeddings/ab", withIntermediateDirectories: true)
        #expect(chmod(folder, 0o755) == 0 && chmod(folder + "/embeddings", 0o755) == 0)
        #expect(chmod(folder + "/embeddings/ab", 0o777) == 0)
        let problem = try #require(FolderTrust.problem(withTree: folder, depth: 2))
        #expect(problem.contains("embeddings/ab is writable by others (mode 777)"), "\(problem)")
        #expect(chmod(folder, 0o775) == 0)
        #expect(FolderTrust.problem(with: folder)?.contains("writable by others (mode 775)") == true)
    }

    @Test func folderOfAnotherUserIsNot() throws {
        let folder = try FixturePaths.temporaryDirectory().path
        #expect(chmod(folder, 0o755) == 0)
        guard geteuid() == 0 else {
            // Not root: the folder is this user's; another user's view of it is simulated.
            #expect(FolderTrust.problem(with: folder, user: geteuid() &+ 1)?.contains("not to you") == true)
            return
        }
        #expect(chown(folder, 4242, 4242) == 0)
        #expect(FolderTrust.problem(with: folder)?.contains("belongs to user id 4242") == true)
    }
}
