/// A cache folder Lineage cannot use, with the path and the reason. Callers run without the cache:
/// it never changes a result, only how fast one comes.
public struct EmbeddingCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
