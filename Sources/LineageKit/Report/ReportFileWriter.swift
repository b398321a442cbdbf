import Foundation

/// Writes report files through the shared `OutputWriter` (atomic rename, containment in the folder).
enum ReportFileWriter {
    /// Writes `name` inside `directory`, whole or not at all.
    static func write(_ data: Data, named name: String, in directory: String) throws(ReportError) {
        do {
            try OutputWriter.write(data, to: try OutputWriter.resolve(name, under: directory))
        } catch {
            throw ReportError("cannot write \(name) in \(directory): \(error.message)")
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
