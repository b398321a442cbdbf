import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens files that Lineage reads as inputs, which must be regular files.
///
/// Every input is read more than once (the format is detected from its first bytes, then it is streamed and
/// hashed; `verify` hashes it again), and a result names it by its SHA-256. A FIFO would block the open
/// forever or be consumed by the first read and look empty the second time; `/dev/zero` never ends; a
/// socket or a block device is not a recording. So anything but a regular file (after following symbolic
/// links) is refused up front, with the path and what it is, and the check is made on the opened
/// descriptor itself (`O_NONBLOCK` so that opening a FIFO cannot hang), so a file swapped for a pipe
/// between a check and the open is refused too.
public enum RegularFile {
    /// Opens `path` for reading; the descriptor is the caller's to close.
    /// - Returns: the descriptor, or the reason it is refused ("no such file", "is a pipe (FIFO) …").
    public static func open(_ path: String) -> Result<Int32, Refusal> {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            var link = stat()
            if code == ENOENT, lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                return .failure(Refusal(path: path, reason: "a symbolic link to a file that does not exist"))
            }
            return .failure(Refusal(path: path, reason: openFailure(code)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = "cannot inspect the file: \(String(cString: strerror(errno)))"
            close(fd)
            return .failure(Refusal(path: path, reason: reason))
        }
        if let kind = nonRegularKind(info.st_mode) {
            close(fd)
            return .failure(Refusal(path: path, reason: kind))
        }
        return .success(fd)
    }

    /// Checks `path` as `open` would, without keeping it open.
    public static func check(_ path: String) -> Refusal? {
        switch open(path) {
        case let .success(fd): close(fd); return nil
        case let .failure(refusal): return refusal
        }
    }

    /// Reads the whole of a small regular file (a manifest, a probe set's metadata), refusing one larger
    /// than `limit` bytes rather than growing memory without bound.
    public static func read(_ path: String, limit: Int) -> Result<Data, Refusal> {
        let fd: Int32
        switch open(path) {
        case let .success(opened): fd = opened
        case let .failure(refusal): return .failure(refusal)
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(Refusal(path: path, reason: "read failed: \(String(cString: strerror(errno)))"))
            }
            if count == 0 { return .success(data) }
            guard data.count + count <= limit else {
                return .failure(Refusal(path: path, reason: "larger than \(limit) bytes, the most Lineage reads of this file"))
            }
            data.append(contentsOf: buffer[..<count])
        }
    }

    /// Why a path is not readable as a regular file.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// What a non-regular file is, in words that say why it is refused; nil for a regular file.
    static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, expected a file"
        case S_IFIFO: return "is a pipe (FIFO), not a regular file: Lineage reads and hashes a file more than once, so save it to a file first"
        case S_IFCHR: return "is a character device (like /dev/zero or a terminal), not a regular file"
        case S_IFBLK: return "is a block device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "is not a regular file"
        }
    }

    /// `open(2)`'s errno in the words a user needs; a symbolic link loop is named as one.
    static func openFailure(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case ELOOP: return "a symbolic link loop (too many levels of symbolic links)"
        case EACCES: return "permission denied"
        case ENOTDIR: return "a component of the path is not a folder"
        case ENAMETOOLONG: return "the path is too long"
        default: return "cannot open the file: \(String(cString: strerror(code)))"
        }
    }
}
