extension InputFile {
    /// Streams a JSON-lines file: each non-blank line is parsed on its own and must be a JSON object.
    /// CRLF line ends and blank lines are accepted and counted into `notes`; any other fault is refused
    /// with the file, line and column.
    func forEachJSONObjectLine(notes: inout ReadingNotes,
                               _ body: (_ line: Int, _ object: JSONValue) throws -> Void) throws -> Facts {
        var crlf = 0
        var blank = 0
        let facts = try forEachLine { number, bytes, carriageReturn in
            if carriageReturn { crlf += 1 }
            if bytes.isBlank { blank += 1; return }
            let value: JSONValue
            do throws(JSONParser.Failure) { value = try JSONParser.parse(bytes, firstLine: number) } catch {
                throw self.error(error)
            }
            guard case .object = value else {
                throw InputError(.wrongType, at: location(line: number),
                                 "each line must be a JSON object, found \(value.typeName)")
            }
            try body(number, value)
        }
        notes.crlfLines = crlf
        notes.blankLines = blank
        return facts
    }
}
