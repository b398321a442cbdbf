/// The tag of a style token (`StyleTokenizer`): the text every token's value is hashed after (`line:` + `#`).
///
/// A closed set, so that a sink can prepare each tag's work once (`StructureBuckets` keeps every family's
/// hash state after its seed and the tag's bytes) instead of reading the tag's text for every token.
enum StyleTag: Int, CaseIterable {
    case first, last
    case line, lineNumber, lineWord
    case fence, header, table, bold, italic, code, link
    case phrase
    case length, lines, listShare

    /// The tag as it is hashed and read (`StyleTokenizer`'s documentation lists what each one carries).
    var text: StaticString {
        switch self {
        case .first: "first:"
        case .last: "last:"
        case .line: "line:"
        case .lineNumber: "line:0"
        case .lineWord: "line:w:"
        case .fence: "md:fence"
        case .header: "md:header"
        case .table: "md:table"
        case .bold: "md:bold"
        case .italic: "md:italic"
        case .code: "md:code"
        case .link: "md:link"
        case .phrase: "phrase:"
        case .length: "len:"
        case .lines: "lines:"
        case .listShare: "listfrac:"
        }
    }
}
