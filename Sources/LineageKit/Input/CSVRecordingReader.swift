/// Reads CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks) whose header names a
/// probe column (`probe`, `probe_id`, `id`) or a prompt column (`prompt`, `instruction`), and an
/// output column (`output`, `response`, `answer`, `completion`); `model` and `sample` are optional.
enum CSVRecordingReader {
    static let probeColumns = ["probe", "probe_id", "id"]
    static let promptColumns = ["prompt", "instruction"]
    static let outputColumns = ["output", "response", "answer", "completion"]

    static func read(_ file: InputFile, notes: inout ReadingNotes) throws(InputError) -> ([RecordedAnswer], String?) {
        var answers: [RecordedAnswer] = []
        var model = ModelNameCollector()
        var crlf = 0
        try file.withContent { (bytes) throws(InputError) in
            var rows = CSVRowIterator(bytes: bytes, file: file)
            guard let header = try rows.next() else {
                throw InputError(.empty, at: file.location(), "the CSV file has no header")
            }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            func column(_ candidates: [String]) -> Int? { names.firstIndex(where: candidates.contains) }
            let probeColumn = column(probeColumns)
            let promptColumn = column(promptColumns)
            guard let outputColumn = column(outputColumns) else {
                throw InputError(.missingField, at: file.location(line: header.line),
                                 "the header names no output column (one of \(outputColumns.joined(separator: ", ")))")
            }
            guard probeColumn != nil || promptColumn != nil else {
                throw InputError(.missingField, at: file.location(line: header.line),
                                 "the header names no probe column (one of \((probeColumns + promptColumns).joined(separator: ", ")))")
            }
            let modelColumn = column(["model", "generator"])
            let sampleColumn = column(["sample"])
            while let row = try rows.next() {
                if row.fields.count == 1 && row.fields[0].isEmpty { continue }
                guard row.fields.count == names.count else {
                    throw InputError(.malformedCSV, at: file.location(line: row.line),
                                     "row has \(row.fields.count) fields, the header has \(names.count)")
                }
                var sample = 0
                if let sampleColumn, !row.fields[sampleColumn].isEmpty {
                    guard let value = Int(row.fields[sampleColumn]), value >= 0 else {
                        throw InputError(.wrongType, at: file.location(line: row.line),
                                         "column \"sample\" must be a whole number ≥ 0, found \"\(row.fields[sampleColumn])\"")
                    }
                    sample = value
                }
                let probe = probeColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
                let prompt = promptColumn.map { row.fields[$0] }
                if let modelColumn { try model.add(row.fields[modelColumn], file: file, line: row.line) }
                answers.append(RecordedAnswer(probeID: probe, prompt: prompt, sample: sample,
                                              output: row.fields[outputColumn], line: row.line))
            }
            crlf = rows.carriageReturns
        }
        notes.crlfLines = crlf
        return (answers, model.name)
    }
}

/// Splits CSV bytes into rows of fields, reporting the line each row starts on.
struct CSVRowIterator {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: InputFile
    private var offset = 0
    private var line = 1
    private(set) var carriageReturns = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: InputFile) {
        self.bytes = bytes
        self.file = file
    }

    mutating func next() throws(InputError) -> (line: Int, fields: [String])? {
        guard offset < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        func finish(_ field: inout [UInt8]) throws(InputError) -> String {
            defer { field.removeAll(keepingCapacity: true) }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw InputError(.invalidUTF8, at: file.location(line: line), "invalid UTF-8 in a CSV field")
            }
            return text
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") {
                        field.append(byte)
                        offset += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty else {
                    throw InputError(.malformedCSV, at: file.location(line: line), "a quote inside an unquoted field")
                }
                quoted = true
            case UInt8(ascii: ","):
                fields.append(try finish(&field))
            case 0x0D where offset < bytes.count && bytes[offset] == 0x0A:
                carriageReturns += 1
            case 0x0A:
                line += 1
                fields.append(try finish(&field))
                return (startLine, fields)
            default:
                field.append(byte)
            }
        }
        if quoted {
            throw InputError(.malformedCSV, at: file.location(line: startLine), "unterminated quoted field")
        }
        fields.append(try finish(&field))
        return (startLine, fields)
    }
}
