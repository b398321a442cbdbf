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

    /// Guesses the format from the file name and its first non-blank content.
    static func detect(file: InputFile) throws(InputError) -> RecordingFormat {
        if file.path.lowercased().hasSuffix(".csv") { return .csv }
        return try file.withContent { (bytes) throws(InputError) -> RecordingFormat in
            guard let first = bytes.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A) }) else {
                throw InputError(.empty, at: file.location(), "the file is empty (or holds only white space)")
            }
            switch bytes[first] {
            case UInt8(ascii: "["): return .alpacaEval
            case UInt8(ascii: "{"):
                var lines = LineIterator(UnsafeBufferPointer(rebasing: bytes[first...]))
                guard let line = lines.next() else { return .canonical }
                let value: JSONValue
                do { value = try JSONParser.parse(line.bytes) } catch {
                    // Let the JSONL reader report the malformed line with its number.
                    return .canonical
                }
                return value["custom_id"] != nil && (value["response"] != nil || value["error"] != nil)
                    ? .openAIBatch : .canonical
            default:
                let line = bytes[first...].prefix(while: { $0 != 0x0A })
                if line.contains(UInt8(ascii: ",")) { return .csv }
                throw InputError(.unknownFormat, at: file.location(line: 1),
                                 "not a recognised recording format (expected JSONL, a JSON array, OpenAI Batch output or CSV); use --input-format to force one")
            }
        }
    }
}
