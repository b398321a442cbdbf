import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing results safely: whole files or nothing, only inside the output folder, under file names
/// that any model name maps to without escaping the folder or colliding with another name.
public enum OutputWriter {
    /// Writes `data` to a temporary file in the destination's directory, flushes it to disk and renames
    /// it over `path` (`rename(2)` is atomic within one file system), so that an interrupted run leaves
    /// either the old file or the new one, never half of one.
    public static func write(_ data: Data, to path: String) throws(OutputError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = (directory as NSString).appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, "cannot create a file in \(directory): \(errorText())") }
        var failure: String? = nil
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let written = Glibc.write(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "write failed: \(errorText())"
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = "fsync failed: \(errorText())" }
        if close(fd) != 0 && failure == nil { failure = "close failed: \(errorText())" }
        if failure == nil && rename(temporary, path) != 0 { failure = "rename failed: \(errorText())" }
        if let failure {
            unlink(temporary)
            throw OutputError(path: path, failure)
        }
    }

    /// `write(_:to:)` for text, as UTF-8.
    public static func write(_ text: String, to path: String) throws(OutputError) {
        try write(Data(text.utf8), to: path)
    }

    /// The path of `relative` inside `directory`, refusing anything that would land outside it: an
    /// absolute path, a `..` component, an empty or NUL-holding name, or a symbolic link on the way
    /// that leads out of the folder.
    public static func resolve(_ relative: String, under directory: String) throws(OutputError) -> String {
        let joined = (directory as NSString).appendingPathComponent(relative)
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else {
            throw OutputError(path: joined, "refusing an output name that is empty, absolute or holds NUL: \"\(relative)\"")
        }
        let components = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty, !components.contains("..") else {
            throw OutputError(path: joined, "refusing an output path that leaves \(directory): \"\(relative)\"")
        }
        // Follow what exists of the path: a symbolic link must not lead outside the folder either.
        // (A folder that does not exist yet holds no links; the lexical check above is then enough.)
        guard FileManager.default.fileExists(atPath: directory) else { return joined }
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        var existing = URL(fileURLWithPath: joined)
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            existing = existing.deletingLastPathComponent()
        }
        let real = existing.resolvingSymlinksInPath().standardizedFileURL.path
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw OutputError(path: joined, "refusing an output path that leads outside \(directory) (through \(real))")
        }
        return joined
    }

    /// The longest file name `safeFileName` returns, leaving room for an extension.
    public static let maximumNameLength = 96

    /// A file name for a model name: `[A-Za-z0-9._-]` kept, every other character replaced by `_`,
    /// never empty, never `.` or `..` or hidden, never starting with `-` (an option to a shell tool),
    /// at most `maximumNameLength` bytes. Whenever the name had to change, a `-` and 12 hex digits of
    /// its SHA-256 are appended; a name that already ends like that gets them too, so two different
    /// model names never map to the same file (short of a 48-bit hash collision).
    public static func safeFileName(_ name: String) -> String {
        var mapped = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": scalar
            default: "_"
            }
        }))
        if let first = mapped.first, first == "." || first == "-" { mapped = "_" + mapped.dropFirst() }
        if mapped.isEmpty { mapped = "_" }
        let suffixLength = 13
        let unchanged = mapped == name && !name.isEmpty && name.utf8.count <= maximumNameLength && !looksHashed(name)
        if unchanged { return name }
        let digest = String(SHA256Digest.hex(of: name).prefix(suffixLength - 1))
        return String(mapped.prefix(maximumNameLength - suffixLength)) + "-" + digest
    }

    /// True when `name` ends in `-` and 12 lowercase hex digits, the shape of `safeFileName`'s suffix.
    private static func looksHashed(_ name: String) -> Bool {
        let tail = Array(name.utf8.suffix(13))
        guard tail.count == 13, tail[0] == UInt8(ascii: "-") else { return false }
        return tail.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
