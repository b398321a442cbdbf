/// Reads Lineage's own format: one JSON object a line, `{"probe", "model", "output"}` plus optional
/// `prompt`, `sample` and free metadata. Each line is parsed on its own as it streams past, so memory
/// stays bounded by the longest line and an error names its line.
enum CanonicalJSONLReader {
    static func read(_ file: InputFile, notes: inout ReadingNotes,
                     _ emit: (RecordedAnswer) throws -> Void) throws -> (String?, InputFile.Facts) {
        var model = ModelNameCollector()
        let facts = try file.forEachJSONObjectLine(notes: &notes) { number, value in
            if value["custom_id"] != nil {
                throw InputError(.mixedFormats, at: file.location(line: number),
                                 "an OpenAI Batch record in a canonical JSONL file; one file must hold one format")
            }
            let fields = FieldReader(file: file, line: number, record: value)
            var probe = try fields.optionalIdentifier("probe")
            if probe == nil { probe = try fields.optionalIdentifier("id") }
            let prompt = try fields.optionalString("prompt")
            guard probe != nil || prompt != nil else {
                throw InputError(.missingField, at: file.location(line: number),
                                 "missing field \"probe\" (or \"prompt\" to align by text)")
            }
            let output = try fields.requiredString("output")
            try model.add(fields.optionalString("model"), file: file, line: number)
            try emit(RecordedAnswer(probeID: probe, prompt: prompt, sample: try fields.optionalSample("sample"),
                                    output: output, line: number))
        }
        return (model.name, facts)
    }
}
