/// Reads CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks) whose header names a
/// probe column (`probe`, `probe_id`, `id`) or a prompt column (`prompt`, `instruction`), and an
/// output column (`output`, `response`, `answer`, `completion`); `model` and `sample` are optional.
/// Rows are assembled line by line as the file streams past.
enum CSVRecordingReader {
    static let probeColumns = ["probe", "probe_id", "id"]
    static let promptColumns = ["prompt", "instruction"]
    static let outputColumns = ["output", "response", "answer", "completion"]

    /// The columns the header names.
    private struct Columns {
        var count: Int
        var probe: Int?
        var prompt: Int?
        var output: Int
        var model: Int?
        var sample: Int?
    }

    static func read(_ file: InputFile, notes: inout ReadingNotes,
                     _ emit: (RecordedAnswer) throws -> Void) throws -> (String?, InputFile.Facts) {
        var model = ModelNameCollector()
        var rows = CSVRowAssembler(file: file)
        var columns: Columns?
        func take(_ row: (line: Int, fields: [String])) throws {
            guard let c = columns else {
                columns = try header(row, file: file)
                return
            }
            if row.fields.count == 1 && row.fields[0].isEmpty { return }
            guard row.fields.count == c.count else {
                throw InputError(.malformedCSV, at: file.location(line: row.line),
                                 "row has \(row.fields.count) fields, the header has \(c.count)")
            }
            var sample = 0
            if let s = c.sample, !row.fields[s].isEmpty {
                guard let value = Int(row.fields[s]), value >= 0 else {
                    throw InputError(.wrongType, at: file.location(line: row.line),
                                     "column \"sample\" must be a whole number ≥ 0, found \"\(row.fields[s])\"")
                }
                sample = value
            }
            let probe = c.probe.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let prompt = c.prompt.map { row.fields[$0] }
            if let m = c.model { try model.add(row.fields[m], file: file, line: row.line) }
            try emit(RecordedAnswer(probeID: probe, prompt: prompt, sample: sample, output: row.fields[c.output], line: row.line))
        }
        let facts = try file.forEachLine { number, bytes, carriageReturn in
            if let row = try rows.feed(bytes, line: number, carriageReturn: carriageReturn) { try take(row) }
        }
        if let row = try rows.finish() { try take(row) }
        if columns == nil {
            throw InputError(.empty, at: file.location(), "the CSV file has no header")
        }
        notes.crlfLines = rows.carriageReturns
        return (model.name, facts)
    }

    private static func header(_ row: (line: Int, fields: [String]), file: InputFile) throws(InputError) -> Columns {
        let names = row.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        // One column per meaning: two `output` columns (or `output` and `response`) would leave it to the
        // reader which one is the answer, and a spreadsheet shows both.
        for role in [outputColumns, probeColumns, promptColumns, ["model", "generator"], ["sample"]] {
            let matching = names.filter(role.contains)
            if matching.count > 1 {
                throw InputError(.malformedCSV, at: file.location(line: row.line),
                                 "the header names \(matching.count) columns of one meaning (\(matching.joined(separator: ", "))); keep one, so that every reader takes the same")
            }
        }
        func column(_ candidates: [String]) -> Int? { names.firstIndex(where: candidates.contains) }
        guard let output = column(outputColumns) else {
            throw InputError(.missingField, at: file.location(line: row.line),
                             "the header names no output column (one of \(outputColumns.joined(separator: ", ")))")
        }
        let probe = column(probeColumns), prompt = column(promptColumns)
        guard probe != nil || prompt != nil else {
            throw InputError(.missingField, at: file.location(line: row.line),
                             "the header names no probe column (one of \((probeColumns + promptColumns).joined(separator: ", ")))")
        }
        return Columns(count: names.count, probe: probe, prompt: prompt, output: output,
                       model: column(["model", "generator"]), sample: column(["sample"]))
    }
}

/// Assembles CSV rows from lines: a quoted field may run over several lines.
struct CSVRowAssembler {
    let file: InputFile
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var quoted = false
    private var startLine = 0
    private var inRow = false
    private(set) var carriageReturns = 0

    init(file: InputFile) { self.file = file }

    private mutating func finishField(line: Int) throws(InputError) {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw InputError(.invalidUTF8, at: file.location(line: line), "invalid UTF-8 in a CSV field")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
    }

    /// Feeds one line; returns a row when the line completes one.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, carriageReturn: Bool) throws(InputError) -> (line: Int, fields: [String])? {
        if !inRow {
            inRow = true
            startLine = line
        }
        var offset = 0
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
                try finishField(line: line)
            default:
                field.append(byte)
            }
        }
        if quoted {
            // The line break belongs to the quoted field.
            if carriageReturn { field.append(0x0D) }
            field.append(0x0A)
            return nil
        }
        if carriageReturn { carriageReturns += 1 }
        try finishField(line: line)
        defer { fields = []; inRow = false }
        return (startLine, fields)
    }

    /// Ends the input: an open quoted field is an error.
    mutating func finish() throws(InputError) -> (line: Int, fields: [String])? {
        guard inRow else { return nil }
        guard !quoted else {
            throw InputError(.malformedCSV, at: file.location(line: startLine), "unterminated quoted field")
        }
        return nil
    }
}
