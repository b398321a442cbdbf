import Foundation

/// A table written as CSV (RFC 4180), the one way Lineage's new CSV outputs are written, so that every
/// file loads the same in pandas, R and a spreadsheet.
///
/// Fields are quoted when they hold a comma, a double quote, CR or LF, with inner quotes doubled, and
/// records end in CRLF (RFC 4180 §2). Text cells are untrusted (model names come from the recordings):
/// one that begins with `=`, `+`, `-`, `@`, tab or CR would be run as a formula by a spreadsheet (CSV
/// injection, OWASP), so it gets a leading single quote. Numbers are typed cells and never neutralised,
/// so a negative score stays a number.
public struct CSVTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral {
        case text(String)
        /// Fixed precision, the same bytes on every platform; empty when not finite.
        case number(Double, digits: Int)
        case integer(Int)

        public init(stringLiteral value: String) { self = .text(value) }

        var field: String {
            switch self {
            case .text(let text): return CSVField.text(text)
            case .number(let value, let digits): return value.isFinite ? String(format: "%.\(digits)f", value) : ""
            case .integer(let value): return String(value)
            }
        }
    }

    public var header: [String]
    public var rows: [[Cell]]

    public init(header: [String], rows: [[Cell]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The whole file: header, then one record per row, each ending in CRLF.
    public func text() -> String {
        var out = header.map(CSVField.text).joined(separator: ",") + "\r\n"
        for row in rows { out += row.map(\.field).joined(separator: ",") + "\r\n" }
        return out
    }
}
