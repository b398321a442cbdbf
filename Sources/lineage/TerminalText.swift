import Foundation

/// The one place text reaches the terminal. Model names, probe ids, paths and answer excerpts come from
/// the recordings: an ANSI escape sequence in a model name could recolour, erase or rewrite the verdict
/// line beside it, and a line break in it could print a verdict line of its own.
///
/// Every C0 and C1 control character, DEL, and the Unicode line separators and bidirectional overrides
/// (which reorder what is shown, "Trojan Source", Boucher & Anderson 2021) are shown as `\u{…}` instead
/// of being sent raw. JSON output (`--json`) does not pass through here: it is for programs, and its
/// encoder already escapes control characters inside strings.
enum TerminalText {
    /// One value inside a line (a model name, an id, a path): line breaks are made visible too.
    static func field(_ text: String) -> String { neutralised(text, keepingNewlines: false) }

    /// A whole message of one or more lines: line breaks kept, everything else neutralised.
    static func message(_ text: String) -> String { neutralised(text, keepingNewlines: true) }

    private static func neutralised(_ text: String, keepingNewlines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" && keepingNewlines || !isUnsafe(scalar) {
                out.append(scalar)
            } else {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    /// Tab stays (it only moves to the next column); everything that can move the cursor, start an escape
    /// sequence, end a line or reorder text does not.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}

/// Prints a text-mode line on stdout through `TerminalText.message` (never used for `--json`).
func say(_ text: String) {
    print(TerminalText.message(text))
}
