import Foundation

/// Reads a recording file in any supported format into a `Recording`.
public enum RecordingReader {
    /// - Parameters:
    ///   - format: forces a format; `nil` detects it.
    public static func read(path: String, format: RecordingFormat? = nil) throws(InputError) -> Recording {
        let file = try InputFile(path: path)
        guard !file.data.isEmpty else {
            throw InputError(.empty, at: file.location(), "the file is empty")
        }
        var chosen: RecordingFormat
        if let format { chosen = format } else { chosen = try RecordingFormat.detect(file: file) }
        var notes = ReadingNotes()
        notes.byteOrderMark = file.hasByteOrderMark
        var answers: [RecordedAnswer]
        var model: String?
        switch chosen {
        case .canonical: (answers, model) = try CanonicalJSONLReader.read(file, notes: &notes)
        case .openAIBatch: (answers, model) = try OpenAIBatchReader.read(file, notes: &notes)
        case .alpacaEval: (answers, model) = try AlpacaEvalReader.read(file)
        case .csv: (answers, model) = try CSVRecordingReader.read(file, notes: &notes)
        }
        if answers.isEmpty && notes.failedRequests.isEmpty {
            throw InputError(.empty, at: file.location(), "the file holds no answers")
        }
        return Recording(model: model ?? modelName(fromPath: path), source: path, format: chosen,
                         sha256: file.sha256, answers: answers, notes: notes)
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
