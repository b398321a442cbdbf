import Testing
@testable import LineageKit

@Suite("Embedding: text normalisation")
struct EmbeddingNormalizerTests {
    @Test("digits fold to 0, spaces fold, blank lines collapse to one, ends trimmed")
    func ascii() {
        let text = "  Step 12:\t  Do   this  \r\n\n\n  Then 3 "
        #expect(TextNormalizer(lowercase: true).normalized(text) == "step 00: do this\n\nthen 0")
        #expect(TextNormalizer(lowercase: false).normalized(text) == "Step 00: Do this\n\nThen 0")
    }

    @Test("markdown, punctuation and single line breaks are kept")
    func markdown() {
        let text = "## Title\n- **Bold** item!\n1. `code`"
        #expect(TextNormalizer(lowercase: false).normalized(text) == "## Title\n- **Bold** item!\n0. `code`")
    }

    @Test("non-ASCII text is put in NFKC, lowercased with Unicode case, any decimal digit becomes 0")
    func unicode() {
        #expect(TextNormalizer(lowercase: true).normalized("Ｆｕｌｌ\u{3000}ＷＩＤＴＨ ٣ Ärger") == "full width 0 ärger")
        #expect(TextNormalizer(lowercase: false).normalized("ﬁne\u{00A0}\u{00A0}day") == "fine day")
    }

    @Test("empty and all-space texts normalise to nothing")
    func empty() {
        #expect(TextNormalizer(lowercase: true).normalized("") == "")
        #expect(TextNormalizer(lowercase: true).normalized(" \n\t ") == "")
    }
}
