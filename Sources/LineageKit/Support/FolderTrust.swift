import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a folder can be trusted to hold only what this user's runs put there.
///
/// The embedding cache checks each entry's SHA-256 against its own content, which finds damage but not
/// an entry someone else wrote with a matching hash: whoever can write the folder can plant another
/// model's embeddings and change a verdict. So a cache is used only when its folders are owned by the user
/// running Lineage (or by root) and writable by no one else (no group or other write bit); otherwise the
/// run goes on without it, saying why (docs/THREAT-MODEL.md).
public enum FolderTrust {
    /// Why `path` (a folder) is not trusted, or nil. A folder that does not exist yet is trusted (it will
    /// be created by this user).
    public static func problem(with path: String, user: uid_t = geteuid()) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &info) == 0 else { return "\(path) is a symbolic link to nothing" }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "\(path) is not a folder" }
        if info.st_uid != user && info.st_uid != 0 {
            return "\(path) belongs to user id \(info.st_uid), not to you (\(user)): its owner could plant embeddings"
        }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "\(path) is writable by others (mode \(String(info.st_mode & 0o7777, radix: 8))): anyone who can write it could plant embeddings (chmod go-w it)"
        }
        return nil
    }

    /// `problem(with:)` for a folder and the folders directly inside it (a cache's shards), first one found.
    public static func problem(withTree path: String, depth: Int = 2, user: uid_t = geteuid()) -> String? {
        if let problem = problem(with: path, user: user) { return problem }
        guard depth > 0 else { return nil }
        for entry in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
            let child = (path as NSString).appendingPathComponent(entry)
            var info = stat()
            guard lstat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            if let problem = problem(withTree: child, depth: depth - 1, user: user) { return problem }
        }
        return nil
    }
}
