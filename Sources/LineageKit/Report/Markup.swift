import Foundation

/// Escaping for everything the reports write into HTML, SVG and Markdown.
///
/// Model answers are untrusted text: an answer holding `<script>` must show as text, never run. The five
/// characters the HTML and XML specifications give meaning to in text and quoted attributes are replaced
/// by entities (OWASP XSS prevention cheat sheet, rule 1), and so are C0 control characters other than
/// tab and newline, which XML 1.0 forbids outright and which would make an SVG file unreadable.
enum Markup {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The one place text becomes Markdown (report.md): a single line of inline text, whatever it held.
    ///
    /// Line breaks (`\n`, `\r`, U+2028/2029) become spaces, so model-supplied text (a model name, a probe id,
    /// a phrase) cannot end its line and start a block of its own (a heading, a fake verdict quote); the
    /// characters that start emphasis, code, links or tables are backslash-escaped, and so is a first
    /// marker that would open a block at the start of a line (`- `, `+ `, `1. `; leading blanks dropped); then HTML is
    /// escaped (a Markdown viewer renders raw HTML). In that order, so that the backslashes never land
    /// inside an entity: escaping `#` after `'` → `&#39;` showed readers a literal `&\#39;`.
    /// - Parameter quotedLine: the text is one line of an answer shown inside a `> ` quote, where a block
    ///   marker stays inside the quote and indentation is kept.
    static func markdownInline(_ text: String, quotedLine: Bool = false) -> String {
        var out = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar {
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}", "\u{85}": " "
            default: scalar
            }
        }))
        for c in ["\\", "`", "*", "_", "[", "]", "|", "#", "~"] { out = out.replacingOccurrences(of: c, with: "\\" + c) }
        if quotedLine { return escape(out) }
        // Four leading spaces open a code block; a marker and a space open a list.
        out = String(out.drop(while: { $0 == " " || $0 == "\t" }))
        func opensBlock(_ marker: String.Index) -> Bool {
            let next = out.index(after: marker)
            return next == out.endIndex || out[next] == " " || out[next] == "\t"
        }
        if let first = out.first, ["-", "+", "="].contains(first), opensBlock(out.startIndex) { out = "\\" + out }
        if let dot = out.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot != out.startIndex,
           out[dot] == "." || out[dot] == ")", opensBlock(dot) {
            out.insert("\\", at: dot)
        }
        return escape(out)
    }

    /// The first `limit` characters of a text, cut at a word boundary when one is near, with an ellipsis.
    static func excerpt(_ text: String, limit: Int) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > limit else { return trimmed }
        var cut = String(trimmed.prefix(limit))
        if let space = cut.lastIndex(where: { $0 == " " || $0 == "\n" }),
           cut.distance(from: space, to: cut.endIndex) < 40 {
            cut = String(cut[..<space])
        }
        return cut + " …"
    }

    /// Fixed-precision decimal that is the same on every platform and locale ("n/a" when not finite).
    static func number(_ value: Double, _ digits: Int = 2) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    /// A rate as a percentage with one decimal ("n/a" when not finite).
    static func percent(_ rate: Double) -> String {
        guard rate.isFinite else { return "n/a" }
        return String(format: "%.1f %%", rate * 100)
    }

    /// A p-value: two significant digits, and "< 0.0001" below that.
    static func pValue(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value < 0.0001 { return "< 0.0001" }
        return String(format: "%.2g", value)
    }
}
