import Testing
@testable import LineageKit

@Suite("Support: Unicode scalars counted on UTF-8")
struct ScalarCountTests {
    @Test("the count of unicodeScalars for ASCII, accents, CJK, emoji, CR LF and combining marks")
    func matchesUnicodeScalars() {
        let texts = ["", "plain ASCII", "café naïve", "我是一个模型", "👩‍👩‍👧 family 🇫🇷", "line\r\nbreak", "e\u{301}", "\u{10FFFF}\u{0}x"]
        for text in texts {
            #expect(text.scalarCount == text.unicodeScalars.count, "\(text.debugDescription)")
        }
        // A bridged or sliced string (no contiguous UTF-8 guaranteed) gives the same count.
        let sliced = String("xx👩‍👩‍👧 café".dropFirst(2))
        #expect(sliced.scalarCount == sliced.unicodeScalars.count)
    }
}
