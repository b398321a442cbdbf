/// Reads OpenAI Batch API output: `custom_id` names the probe (`<probe>#<n>` names sample n), the answer is
/// `response.body.choices[0].message.content`. A failed request (an `error`, or a non-200 status)
/// carries no answer: it is counted in the notes, and its probe shows as missing.
enum OpenAIBatchReader {
    static func read(_ file: InputFile, notes: inout ReadingNotes,
                     _ emit: (RecordedAnswer) throws -> Void) throws -> (String?, InputFile.Facts) {
        var model = ModelNameCollector()
        var failed: [String] = []
        let facts = try file.forEachJSONObjectLine(notes: &notes) { number, value in
            let fields = FieldReader(file: file, line: number, record: value)
            guard value["custom_id"] != nil else {
                throw InputError(.mixedFormats, at: file.location(line: number),
                                 "missing \"custom_id\": not an OpenAI Batch output record (one file must hold one format)")
            }
            let id = try fields.requiredString("custom_id")
            let response = value["response"] ?? .null
            let status: Double? = if case let .number(code) = response["status_code"] ?? .null { code } else { nil }
            if response == .null || (value["error"] ?? .null) != .null || (status != nil && status != 200) {
                failed.append(id)
                return
            }
            guard let body = response["body"], case let .array(choices) = body["choices"] ?? .null,
                  let first = choices.first, let message = first["message"] else {
                throw InputError(.missingField, at: file.location(line: number),
                                 "missing field \"response.body.choices[0].message\"")
            }
            let content = try fields.requiredString("content", in: message,
                                                    path: "response.body.choices[0].message.content")
            if case let .string(name) = body["model"] ?? .null { try model.add(name, file: file, line: number) }
            let (probeID, sample) = splitSample(id)
            try emit(RecordedAnswer(probeID: probeID, prompt: nil, sample: sample, output: content, line: number))
        }
        notes.failedRequests = failed
        return (model.name, facts)
    }

    /// `lineage batch-input` names sample `n` of a probe `<probe>#<n>`; an id without such a suffix is sample 0.
    static func splitSample(_ customID: String) -> (String, Int) {
        guard let hash = customID.lastIndex(of: "#"), hash != customID.startIndex else { return (customID, 0) }
        let digits = customID[customID.index(after: hash)...]
        guard !digits.isEmpty, digits.count < 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let sample = Int(digits) else {
            return (customID, 0)
        }
        return (String(customID[..<hash]), sample)
    }
}
