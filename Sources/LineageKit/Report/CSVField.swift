/// The one place text becomes a CSV field in Lineage's outputs (model names and labels come from the
/// recordings, so they are untrusted).
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`), and
/// tab or carriage return at the start are read as the same; such a cell gets a leading `'`, which
/// spreadsheets show as text and do not run (OWASP, "CSV Injection"). Then the field is quoted per
/// RFC 4180 §2 when it holds a comma, a quote or a line break, quotes doubled. Numbers are written by the
/// caller and never pass through here, so a negative value stays a number.
public enum CSVField {
    public static func text(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
