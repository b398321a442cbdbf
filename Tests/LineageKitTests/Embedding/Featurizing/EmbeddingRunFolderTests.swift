import Foundation
import Testing
@testable import LineageKit

@Suite("Embedding: run-by-run Unicode normalisation")
struct EmbeddingRunFolderTests {
    func both(_ text: String, lowercase: Bool = true) -> (runs: [UInt8]?, whole: [UInt8]) {
        var folder = UnicodeRunFolder(lowercase: lowercase)
        var runs: [UInt8] = []
        var text = text
        let ok = text.withUTF8 { folder.fold($0, into: &runs) }
        var whole: [UInt8] = []
        TextNormalizer(lowercase: lowercase).normalize(text, into: &whole)
        return (ok ? runs : nil, whole)
    }

    @Test("compatibility forms, case, digits and spaces fold as in the whole-text path")
    func examples() {
        for text in ["Ｆｕｌｌ ｗｉｄｔｈ １２", "ﬁne “quotes” — and ’apostrophes’", "ÉCOLE Straße ΣΟΦΙΑ",
                     "a\u{00A0}b\u{2028}c", "٣ dogs ①", "  ç  \n\n\n ü ", "日本語のテキスト。", "emoji 🎉🎉 end"] {
            let (runs, whole) = both(text)
            #expect(runs == whole, "\(text)")
            let (upper, wholeUpper) = both(text, lowercase: false)
            #expect(upper == wholeUpper, "\(text)")
        }
    }

    @Test("a run that opens with a combining mark goes to the whole-text path")
    func combiningMark() {
        #expect(both("cafe\u{0301} noir").runs == nil)
        #expect(both("café noir").runs == both("cafe\u{0301} noir").whole)
    }

    /// Exactness on real text: every non-ASCII answer of the bundled AlpacaEval recordings.
    @Test("identical to the whole-text path on every non-ASCII answer of the bundled recordings")
    func bundledAnswers() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Probes/alpaca-eval")
        var files: [String] = []
        for folder in ["panel", "recordings"] {
            let directory = root.appendingPathComponent(folder).path
            for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where name.hasSuffix(".jsonl") {
                files.append(directory + "/" + name)
            }
        }
        #expect(files.count >= 40)
        var checked = 0, fallbacks = 0
        var folder = UnicodeRunFolder(lowercase: true)
        let whole = TextNormalizer(lowercase: true)
        var a: [UInt8] = [], b: [UInt8] = []
        for file in files {
            _ = try RecordingReader.forEachAnswer(path: file) { record in
                let answer = record.output
                guard answer.utf8.contains(where: { $0 >= 0x80 }) else { return }
                var text = answer
                let ok = text.withUTF8 { folder.fold($0, into: &a) }
                guard ok else { fallbacks += 1; return }
                whole.normalize(answer, into: &b)
                #expect(a == b, "\(file): \(answer.prefix(80))")
                checked += 1
            }
        }
        #expect(checked > 1000)
        #expect(fallbacks < checked / 100)
    }
}
