/// Where in a file something was found: the path, and the 1-based line and column when they apply.
public struct SourceLocation: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }
}

/// A file that Lineage refuses to read, with where and why: the message a user needs to fix it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Codable {
        case unreadable, empty, invalidUTF8, malformedJSON, malformedCSV, missingField, wrongType,
             duplicateProbe, unknownFormat, mixedFormats, tooDeep, emptyProbeSet, mismatchedProbeSet
    }

    public var kind: Kind
    public var location: SourceLocation
    public var message: String

    public init(_ kind: Kind, at location: SourceLocation, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
