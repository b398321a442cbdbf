import Foundation

/// What reading a whole recording established, apart from its answers.
public struct RecordingHeader: Sendable, Equatable {
    public var model: String
    public var source: String
    public var format: RecordingFormat
    public var sha256: String
    public var notes: ReadingNotes
    /// Answers handed to the consumer.
    public var answers: Int
}

/// Reads a recording file in any supported format.
public enum RecordingReader {
    /// Reads every answer into a `Recording` (built on `forEachAnswer`).
    /// - Parameters:
    ///   - format: forces a format; `nil` detects it.
    public static func read(path: String, format: RecordingFormat? = nil) throws(InputError) -> Recording {
        var answers: [RecordedAnswer] = []
        let header = try forEachAnswer(path: path, format: format) { answers.append($0) }
        return Recording(model: header.model, source: path, format: header.format,
                         sha256: header.sha256, answers: answers, notes: header.notes)
    }

    /// Streams a recording: `body` gets each answer as it is read, in file order, so that a consumer
    /// can embed or align answer by answer without holding the texts. Memory is bounded by the
    /// longest line (JSONL, OpenAI Batch, CSV row) or the file (an AlpacaEval array).
    ///
    /// The file is checked as it streams: `body` may have seen answers before a later line fails, so a
    /// consumer must discard what it built when this throws.
    public static func forEachAnswer(path: String, format: RecordingFormat? = nil,
                                     _ body: (RecordedAnswer) -> Void) throws(InputError) -> RecordingHeader {
        try forEachAnswer(InputFile(path: path), format: format, body)
    }

    static func forEachAnswer(_ file: InputFile, format: RecordingFormat?,
                              _ body: (RecordedAnswer) -> Void) throws(InputError) -> RecordingHeader {
        try file.refuseUnsupportedEncoding()
        let chosen: RecordingFormat
        if let format { chosen = format } else { chosen = try RecordingFormat.detect(file: file) }
        var notes = ReadingNotes()
        var count = 0
        var duplicates = DuplicateAnswerCheck()
        func emit(_ answer: RecordedAnswer) throws(InputError) {
            try duplicates.check(answer, file: file)
            count += 1
            body(answer)
        }
        let model: String?
        let facts: InputFile.Facts
        do {
            switch chosen {
            case .canonical: (model, facts) = try CanonicalJSONLReader.read(file, notes: &notes, emit)
            case .openAIBatch: (model, facts) = try OpenAIBatchReader.read(file, notes: &notes, emit)
            case .alpacaEval: (model, facts) = try AlpacaEvalReader.read(file, emit)
            case .csv: (model, facts) = try CSVRecordingReader.read(file, notes: &notes, emit)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(.unreadable, at: file.location(), "\(error)")
        }
        notes.byteOrderMark = facts.byteOrderMark
        if facts.size == 0 {
            throw InputError(.empty, at: file.location(), "the file is empty")
        }
        if count == 0 && notes.failedRequests.isEmpty {
            throw InputError(.empty, at: file.location(), "the file holds no answers")
        }
        return RecordingHeader(model: model ?? modelName(fromPath: file.path), source: file.path, format: chosen,
                               sha256: facts.sha256, notes: notes, answers: count)
    }

    /// The model name a file stands for when its records name none: the file name without extensions.
    static func modelName(fromPath path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for suffix in [".gz", ".jsonl", ".json", ".csv", ".outputs"] where name.lowercased().hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        return name.isEmpty ? "unnamed" : name
    }
}

/// The model name of a recording: every record that names one must name the same.
struct ModelNameCollector {
    private(set) var name: String?
    private var firstLine = 0

    mutating func add(_ candidate: String?, file: InputFile, line: Int) throws(InputError) {
        guard let candidate, !candidate.isEmpty else { return }
        if let name {
            if name != candidate {
                throw InputError(.mixedFormats, at: file.location(line: line),
                                 "record names model \"\(candidate)\" but line \(firstLine) named \"\(name)\"; one file must hold one model")
            }
        } else {
            name = candidate
            firstLine = line
        }
    }
}

/// Typed field access with errors that name the file, line and field.
struct FieldReader {
    let file: InputFile
    let line: Int
    let record: JSONValue

    func requiredString(_ key: String, in value: JSONValue? = nil, path: String? = nil) throws(InputError) -> String {
        let source = value ?? record
        guard let field = source[key] else {
            throw InputError(.missingField, at: file.location(line: line), "missing field \"\(path ?? key)\"")
        }
        guard case let .string(text) = field else {
            throw InputError(.wrongType, at: file.location(line: line),
                             "field \"\(path ?? key)\" must be text, found \(field.typeName)")
        }
        return text
    }

    func optionalString(_ key: String) throws(InputError) -> String? {
        guard let field = record[key] else { return nil }
        switch field {
        case .null: return nil
        case let .string(text): return text
        default:
            throw InputError(.wrongType, at: file.location(line: line),
                             "field \"\(key)\" must be text, found \(field.typeName)")
        }
    }

    /// A probe id may be written as text or as a whole number.
    func optionalIdentifier(_ key: String) throws(InputError) -> String? {
        guard let field = record[key] else { return nil }
        switch field {
        case let .string(text): return text
        case let .number(number) where number == number.rounded() && abs(number) < 1e15: return String(Int(number))
        default:
            throw InputError(.wrongType, at: file.location(line: line),
                             "field \"\(key)\" must be text or a whole number, found \(field.typeName)")
        }
    }

    func optionalSample(_ key: String) throws(InputError) -> Int {
        guard let field = record[key] else { return 0 }
        guard case let .number(number) = field, number >= 0, number == number.rounded(), number < 1e9 else {
            throw InputError(.wrongType, at: file.location(line: line),
                             "field \"\(key)\" must be a whole number ≥ 0, found \(field.typeName)")
        }
        return Int(number)
    }
}
