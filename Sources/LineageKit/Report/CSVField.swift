/// The one place text becomes a CSV field in Lineage's outputs (model names and labels come from the
/// recordings, so they are untrusted).
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`), and
/// tab or carriage return at the start are read as the same; such a cell gets a leading `'`, which
/// spreadsheets show as text and do not run (OWASP, "CSV Injection"). Then the field is quoted per
/// RFC 4180 §2 when it holds a comma, a quote or a line break, quotes doubled. Numbers are written by the
/// caller and never pass through here, so a negative value stays a number.
public enum CSVField {
    public static func text(_ text: String) -> String { quoted(neutralised(text)) }

    /// A leading `'` before a cell a spreadsheet would run as a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }

    /// RFC 4180 §2.6–2.7: enclosed in double quotes when needed, inner quotes doubled.
    static func quoted(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
