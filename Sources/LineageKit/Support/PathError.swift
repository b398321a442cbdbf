/// An error about one file or folder: its path and what was wrong with it. The `Domain` tag keeps the
/// errors of different rooms apart (`catch let error as OutputError`) while they share one shape.
public struct PathError<Domain>: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A result file Lineage could not write, or would not write where it was asked to.
public typealias OutputError = PathError<OutputFailure>
public enum OutputFailure {}

/// A model file Lineage refuses to load.
public typealias EmbeddingModelError = PathError<EmbeddingModelFailure>
public enum EmbeddingModelFailure {}

/// A cache folder Lineage cannot use. Callers run without the cache: it never changes a result, only how
/// fast one comes.
public typealias EmbeddingCacheError = PathError<EmbeddingCacheFailure>
public enum EmbeddingCacheFailure {}
