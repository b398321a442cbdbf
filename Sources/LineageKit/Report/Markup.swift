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
