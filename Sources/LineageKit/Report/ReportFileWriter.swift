import Foundation

/// Writes report files. Kept to one small function so that it can be swapped for the shared
/// `Support/` atomic-write helper when that lands.
enum ReportFileWriter {
    /// Writes to a temporary file in the same folder, then renames it over the target: a reader never
    /// sees a half-written report, and an interrupted run leaves the previous file intact.
    static func write(_ data: Data, to path: String) throws(ReportError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            throw ReportError("cannot write \(path): \(error.localizedDescription)")
        }
        // rename(2) replaces the target atomically on POSIX file systems.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError("cannot write \(path): \(reason)")
        }
    }

    static func createDirectory(_ path: String) throws(ReportError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ReportError("cannot create the folder \(path): \(error.localizedDescription)")
        }
    }
}

/// A report could not be written or verified.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
