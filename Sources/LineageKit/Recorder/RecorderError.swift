/// Why a recording run stopped or refused to start: the message a user needs to fix it.
///
/// Messages never contain the API key: the client scrubs it from anything a server echoes back.
public struct RecorderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// The endpoint URL cannot be used.
        case invalidEndpoint
        /// The server refused the request for a reason retrying cannot fix (401, 403, 404, other 4xx).
        case rejected
        /// The output file was recorded for another model or with other request parameters.
        case resumeMismatch
        /// The output file holds a damaged line that is not the last one.
        case corruptFile
        /// The output file cannot be opened, read or written.
        case io
        /// Another run is writing the same output file (it holds the file's lock).
        case busy
        /// Invalid options (samples < 1, concurrency < 1, ...).
        case invalidOption
        /// No connection to the endpoint could be made: the run stopped after its first request.
        case unreachable
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
