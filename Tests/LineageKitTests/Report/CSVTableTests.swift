import Foundation
import Testing
@testable import LineageKit

@Suite("CSVTable: RFC 4180 and spreadsheet formulas")
struct CSVTableTests {
    @Test("fields with commas, quotes and line breaks are quoted, quotes doubled, records end in CRLF")
    func quoting() {
        let table = CSVTable(header: ["name", "value"], rows: [
            [.text("plain"), .integer(3)],
            [.text("a,b"), .number(0.5, digits: 2)],
            [.text("say \"hi\""), .number(.nan, digits: 2)],
            [.text("two\nlines"), .number(-1.25, digits: 3)],
        ])
        #expect(table.text() == "name,value\r\nplain,3\r\n\"a,b\",0.50\r\n\"say \"\"hi\"\"\",\r\n\"two\nlines\",-1.250\r\n")
    }

    @Test("text beginning with = + - @ tab or CR gets a leading quote; numbers stay numbers")
    func formulas() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = CSVTable.Cell.text(start + "SUM(A1)").field
            #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"), "\(start.debugDescription): \(cell)")
        }
        #expect(CSVTable.Cell.text("=1+1").field == "'=1+1")
        #expect(CSVTable.Cell.text("\rcmd").field == "\"'\rcmd\"")
        #expect(CSVTable.Cell.text("model-=x").field == "model-=x")
        #expect(CSVTable.Cell.number(-6.5, digits: 1).field == "-6.5")
        #expect(CSVTable(header: ["=evil"]).text() == "'=evil\r\n")
    }

    @Test("the text parses back to the same cells (a minimal RFC 4180 reader)")
    func roundTrip() {
        let cells = ["x", "a,b", "q\"q", "l1\r\nl2", "", "=f"]
        let text = CSVTable(header: ["c"], rows: cells.map { [.text($0)] }).text()
        var records: [String] = [], field = "", quoted = false, index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: index)
                    if next < text.endIndex, text[next] == "\"" { field.append("\""); index = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "\r\n" { records.append(field); field = "" } else { field.append(c) }
            index = text.index(after: index)
        }
        #expect(records == ["c"] + cells.map { $0.hasPrefix("=") ? "'" + $0 : $0 })
    }
}
