import Foundation

/// A single progress line on stderr, rewritten in place; silent with --quiet or when stderr is not a terminal.
enum ProgressLine {
    static func make(quiet: Bool) -> (@Sendable (String) -> Void)? {
        guard !quiet, isatty(FileHandle.standardError.fileDescriptor) != 0 else { return nil }
        return { message in
            FileHandle.standardError.write(Data("\r\u{1B}[K\(TerminalText.field(message))".utf8))
        }
    }

    static func finish(_ progress: (@Sendable (String) -> Void)?) {
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
