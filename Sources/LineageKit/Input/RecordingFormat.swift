/// The recording file formats Lineage reads.
public enum RecordingFormat: String, Sendable, Codable, CaseIterable {
    /// One answer a line: `{"probe", "model", "output"}` plus optional `prompt`, `sample`, metadata.
    case canonical = "jsonl"
    /// A JSON array of `{"instruction", "output", "generator"}` (tatsu-lab/alpaca_eval `model_outputs.json`).
    case alpacaEval = "alpaca-eval"
    /// OpenAI Batch API output: `custom_id` and `response.body.choices[0].message.content` a line.
    case openAIBatch = "openai-batch"
    /// CSV with a header naming the probe (or prompt) and output columns.
    case csv

    /// How much of a file's start detection looks at.
    static let detectionWindow = 1 << 16

    /// Guesses the format from the file name and its first non-blank content (the first 64 KiB).
    static func detect(file: InputFile) throws(InputError) -> RecordingFormat {
        if file.path.lowercased().hasSuffix(".csv") { return .csv }
        let window = try file.prefix(detectionWindow)
        return try window.withUnsafeBufferPointer { (bytes) throws(InputError) -> RecordingFormat in
            guard let first = bytes.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A) }) else {
                throw InputError(.empty, at: file.location(), "the file is empty (or holds only white space)")
            }
            switch bytes[first] {
            case UInt8(ascii: "["): return .alpacaEval
            case UInt8(ascii: "{"):
                let rest = UnsafeBufferPointer(rebasing: bytes[first...])
                guard let end = rest.firstIndex(of: 0x0A) else {
                    if bytes.count < detectionWindow { return openAIRecord(rest) ? .openAIBatch : .canonical }
                    // A first line longer than the window: look for the batch keys outside strings' escapes.
                    return containsKey("custom_id", in: rest) && (containsKey("response", in: rest) || containsKey("error", in: rest))
                        ? .openAIBatch : .canonical
                }
                return openAIRecord(UnsafeBufferPointer(rebasing: rest[..<end])) ? .openAIBatch : .canonical
            default:
                let line = bytes[first...].prefix(while: { $0 != 0x0A })
                if line.contains(UInt8(ascii: ",")) { return .csv }
                throw InputError(.unknownFormat, at: file.location(line: 1),
                                 "not a recognised recording format (expected JSONL, a JSON array, OpenAI Batch output or CSV); use --input-format to force one")
            }
        }
    }

    /// True when `line` parses as an OpenAI Batch output record; a malformed line is left to the
    /// JSONL reader, which reports it with its number.
    private static func openAIRecord(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let value = try? JSONParser.parse(line) else { return false }
        return value["custom_id"] != nil && (value["response"] != nil || value["error"] != nil)
    }

    /// True when `"key"` occurs in `bytes` not preceded by a backslash (so not inside a string's text).
    private static func containsKey(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let needle = Array("\"\(key)\"".utf8)
        guard bytes.count >= needle.count else { return false }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if (i == 0 || bytes[i - 1] != UInt8(ascii: "\\")) && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
