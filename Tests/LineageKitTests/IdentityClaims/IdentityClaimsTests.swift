import Foundation
import Testing
@testable import LineageKit

@Suite("Identity claims: self-claims versus mentions")
struct IdentityClaimsTests {
    static func set(_ count: Int) throws -> ProbeSet {
        try ProbeSet(name: "t", probes: (0..<count).map { Probe(id: "p\($0)", prompt: "prompt \($0)") },
                     sha256: "", path: "t.jsonl", directory: nil)
    }

    static func recording(_ answers: [String]) -> AlignedRecording {
        AlignedRecording(model: "m", source: "m.jsonl", sha256: "", format: .canonical, notes: ReadingNotes(),
                         answers: answers.map { $0.isEmpty ? [] : [$0] },
                         summary: AlignmentSummary(probes: answers.count, aligned: answers.count, missing: 0, empty: 0,
                                                   duplicate: 0, conflicting: 0, unknown: 0, missingIDs: [], emptyIDs: [],
                                                   duplicateIDs: [], unknownRecords: []))
    }

    static func detect(_ answers: [String]) throws -> IdentityClaims {
        IdentityClaims.detect(recording(answers), probes: try set(answers.count))
    }

    /// (claims, mentions) of one family for one answer.
    static func counts(_ answer: String, _ family: String) throws -> (Int, Int) {
        let found = try detect([answer]).families.first { $0.family == family }
        return (found?.selfClaims ?? 0, found?.mentions ?? 0)
    }

    static let claims: [(String, String)] = [
        // English
        ("I am ChatGPT, a large language model.", "openai"),
        ("I'm Claude, an AI assistant made by Anthropic.", "anthropic"),
        ("Hello! My name is Vicuna, and I'm happy to help.", "vicuna"),
        ("I was trained by researchers from Large Model Systems Organization (LMSYS).", "vicuna"),
        ("I was developed by a team at Google.", "google"),
        ("As an AI language model developed by OpenAI, I cannot browse the web.", "openai"),
        ("I am a large language model trained by OpenAI.", "openai"),
        ("I’m an AI assistant called Gemini.", "google"),
        ("I'm a large language model trained by Mistral AI, similar to ChatGPT, which is a model from OpenAI.", "mistral"),
        // French
        ("Je suis Mistral, un assistant.", "mistral"),
        ("J'ai été entraîné par OpenAI.", "openai"),
        ("En tant qu'IA développée par Anthropic, je ne peux pas répondre.", "anthropic"),
        // German
        ("Ich bin Claude.", "anthropic"),
        ("Ich wurde von Google entwickelt.", "google"),
        ("Ich bin ein von Meta trainiertes Sprachmodell.", "meta"),
        // Spanish
        ("Soy ChatGPT, un modelo de lenguaje.", "openai"),
        ("Fui creado por OpenAI.", "openai"),
        ("Soy un asistente desarrollado por Google.", "google"),
        // Chinese
        ("我是通义千问，由阿里云开发的大规模语言模型。", "qwen"),
        ("我是由OpenAI开发的人工智能助手。", "openai"),
        ("我是ChatGPT。", "openai"),
        // Japanese
        ("私はClaudeです。", "anthropic"),
        ("私はOpenAIによって開発されたAIアシスタントです。", "openai"),
    ]

    static let mentions: [(String, String)] = [
        ("ChatGPT is a chatbot by OpenAI.", "openai"),
        ("As an AI language model, I don't have personal opinions, but I can tell you that ChatGPT is a language model.", "openai"),
        ("I am not ChatGPT.", "openai"),
        ("I'm a big fan of Google Maps.", "google"),
        ("I am sure Claude can help.", "anthropic"),
        ("I was surprised by Google's results.", "google"),
        ("I am ChatGPT's biggest critic.", "openai"),
        // mistral-medium, probe ae-424: the claim is Mistral's, OpenAI is only compared with.
        ("I'm a large language model trained by Mistral AI, similar to ChatGPT, which is a model from OpenAI.", "openai"),
        ("Claude Monet painted water lilies. I am an artist.", "anthropic"),
        ("Je suis un utilisateur de ChatGPT.", "openai"),
        ("Ich bin kein Modell von OpenAI.", "openai"),
        ("Soy usuario de Google.", "google"),
        ("ChatGPT是由OpenAI开发的。", "openai"),
        ("我喜欢谷歌。", "google"),
        ("私はChatGPTが好きです。", "openai"),
    ]

    @Test("first-person identity phrases bound to a family name count as self-claims, in six languages",
          arguments: claims)
    func claim(_ answer: String, _ family: String) throws {
        let (claims, mentions) = try Self.counts(answer, family)
        #expect(claims == 1, "\(answer)")
        #expect(mentions == 0, "\(answer)")
    }

    @Test("a name merely talked about, or denied, counts as a mention", arguments: mentions)
    func mention(_ answer: String, _ family: String) throws {
        let (claims, mentions) = try Self.counts(answer, family)
        #expect(claims == 0, "\(answer)")
        #expect(mentions == 1, "\(answer)")
    }

    @Test("short and case-sensitive names match only at word boundaries")
    func wordBoundaries() throws {
        let found = try Self.detect([
            "Yiddish is a language; the yin and yang; a Philosophy of physics; metadata; Graphite.",
            "The Yi people live in Sichuan. Phi-2 is small. Llama2 and Qwen1.5 are open. Meta AI released it.",
            "I am Yi, a model by 01.AI.",
        ])
        let yi = found.families.first { $0.family == "yi" }
        #expect(yi?.mentions == 1)
        #expect(yi?.selfClaims == 1)
        #expect(yi?.examples.map(\.probe) == ["p2", "p1"])
        #expect(found.families.first { $0.family == "phi" }?.mentions == 1)
        #expect(found.families.first { $0.family == "meta" }?.mentions == 1)
        #expect(found.families.first { $0.family == "qwen" }?.mentions == 1)
        // "Gemini" the zodiac sign is a known, documented false positive of the mention count.
        #expect(try Self.counts("Gemini is an air sign.", "google") == (0, 1))
    }

    @Test("one answer counts once per family; examples are claims first, capped, in probe order; output is stable")
    func deterministic() throws {
        let answers = ["Google and Google again, Google.", "I am Gemini.", "", "Google it.", "I was built by Google.",
                       "Google Maps.", "Bing, not Google."]
        let first = try Self.detect(answers)
        let google = try #require(first.families.first { $0.family == "google" })
        #expect(first.answers == 6)
        #expect(google.selfClaims == 2)
        #expect(google.mentions == 4)
        #expect(google.examples.map(\.probe) == ["p1", "p4", "p0"])
        #expect(google.examples.map(\.selfClaim) == [true, true, false])
        #expect(first.families.map(\.family) == ["google"])
        let again = try Self.detect(answers)
        #expect(try JSONOutput.string(first) == JSONOutput.string(again))
    }

    @Test("families come in table order; claimed lists most claims first")
    func ordering() throws {
        let found = try Self.detect(["Claude wrote this.", "I am Qwen.", "I'm Qwen.", "I am ChatGPT.", "Llama facts."])
        #expect(found.families.map(\.family) == ["openai", "anthropic", "meta", "qwen"])
        #expect(found.claimed.map(\.family) == ["qwen", "openai"])
    }

    @Test("long sentences are cut to a window around the match")
    func excerpt() throws {
        let filler = String(repeating: "word ", count: 80)
        let found = try Self.detect([filler + "and then I am ChatGPT and " + filler])
        let example = try #require(found.families.first?.examples.first)
        #expect(example.selfClaim)
        #expect(example.excerpt.count <= IdentityClaims.excerptLimit)
        #expect(example.excerpt.contains("I am ChatGPT"))
    }

    @Test("the bundled vicuna-13b recording: one self-claim (\"call me Vicuna\"); its ChatGPT sentences are mentions")
    func vicuna() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let set = try ProbeSet.load(path: root.appendingPathComponent("Probes/alpaca-eval/probes.jsonl").path)
        let aligned = try Aligner.align(path: root.appendingPathComponent("Probes/alpaca-eval/recordings/vicuna-13b.jsonl").path, to: set)
        let found = IdentityClaims.detect(aligned, probes: set)
        #expect(found.answers == 805)
        // Checked by hand: the one sentence binding a first-person phrase to a family name is probe
        // ae-372, "You can call me Vicuna, as I was trained by researchers from …". The "As an AI
        // language model" openings name no family, and ae-286 ("As an AI language model, I don't
        // have personal opinions …, but … ChatGPT is a language model developed by … (LMSYS)") is a
        // mention of both OpenAI and LMSYS, not a claim.
        #expect(found.claimed.map(\.family) == ["vicuna"])
        let vicuna = try #require(found.families.first { $0.family == "vicuna" })
        #expect(vicuna.selfClaims == 1)
        #expect(vicuna.examples.first?.probe == "ae-372")
        let openai = try #require(found.families.first { $0.family == "openai" })
        #expect(openai.selfClaims == 0)
        #expect(openai.mentions == 3)
        #expect(openai.examples.map(\.probe) == ["ae-286", "ae-424", "ae-470"])
    }
}

@Suite("Identity claims: the ASCII prefilter changes nothing")
struct IdentityClaimsPrefilterTests {
    /// Answers of bundled recordings that make claims (vicuna, alpaca) and of one that mostly does not.
    static let files = ["vicuna-13b", "alpaca-7b", "gpt-3.5-turbo-0301"].map {
        FixturePaths.alpacaEval.appendingPathComponent("recordings/\($0).jsonl").path
    }

    @Test("with and without the prefilter, detection on bundled recordings gives the same result")
    func bundledRecordings() throws {
        let set = try ProbeSet.load(path: FixturePaths.alpacaEval.path)
        for file in Self.files {
            let aligned = try Aligner.align(path: file, format: nil, to: set)
            let fast = IdentityClaims.detect(aligned, probes: set)
            #expect(fast == IdentityClaims.detect(aligned, probes: set, table: ModelFamily.table, prefilter: false), "\(file)")
            #expect(fast.families.contains { $0.naming > 0 })
        }
    }

    @Test("case, case-sensitive names, non-ASCII answers and names in CJK: the same as without it")
    func edgeCases() throws {
        let answers = [
            "I AM CHATGPT.", "i am chatgpt.", "The gpt models.", "GPT-4 is here.", "I am a model by META.",
            "meta-analysis of phi and yi.", "I am Claude, made by ANTHROPIC.", "我是通义千问。", "Qwen: I am Qwen.",
            "I am \u{212A}imi, not ChatGPT.", "Ich bin ChatGPT, entwickelt von OpenAI. Ärger!", "",
            "ChatGPTChatGPT chatgpt's", "No names at all here.",
        ]
        let recording = IdentityClaimsTests.recording(answers)
        let set = try IdentityClaimsTests.set(answers.count)
        let fast = IdentityClaims.detect(recording, probes: set)
        #expect(fast == IdentityClaims.detect(recording, probes: set, table: ModelFamily.table, prefilter: false))
        #expect(fast.families.first { $0.family == "openai" }.map { $0.selfClaims > 0 } == true)
    }

    @Test("the folded text finds lowered names and refuses non-ASCII text")
    func foldedText() throws {
        let text = try #require(ASCIIFoldedText("Hello ChatGPT and OPENAI"))
        #expect(text.contains(Array("chatgpt".utf8)))
        #expect(text.contains(Array("openai".utf8)))
        #expect(!text.contains(Array("claude".utf8)))
        #expect(!text.contains(Array("通义".utf8)))
        #expect(!text.contains(Array("hello chatgpt and openai!".utf8)))
        #expect(ASCIIFoldedText("Ärger") == nil)
        // Every adjacent pair of "abcd" occurs, the name does not: the pair filter passes, the scan refuses.
        let pairs = try #require(ASCIIFoldedText("abc bcd"))
        #expect(!pairs.contains(Array("abcd".utf8)))
        #expect(pairs.contains(Array("c bc".utf8)))
    }
}
