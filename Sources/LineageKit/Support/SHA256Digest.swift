import Crypto
import Foundation

/// SHA-256 as lowercase hex: the identity of every input, model and result file in a manifest.
public enum SHA256Digest {
    public static func hex<D: DataProtocol>(of data: D) -> String { hex(SHA256.hash(data: data)) }

    public static func hex(of text: String) -> String { hex(of: Data(text.utf8)) }

    /// Hashes a file in 1 MiB chunks, so that a large recording is never held twice. Only a regular file
    /// (`RegularFile`): `verify` hashing a manifest-named `/dev/zero` would never end.
    public static func hex(ofFile path: String) throws(InputError) -> String {
        let handle: FileHandle
        switch RegularFile.open(path) {
        case let .success(fd): handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        case let .failure(refusal): throw InputError(.unreadable, at: SourceLocation(path: path), refusal.reason)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw InputError(.unreadable, at: SourceLocation(path: path), "read failed: \(error.localizedDescription)")
        }
        return hex(hasher.finalize())
    }

    /// Whether `text` is lowercase hex digits only (a digest, or a prefix of one, as `hex` writes it).
    static func isHexDigits<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Whether `text` is a whole SHA-256 as `hex` writes it.
    static func isHex(_ text: String) -> Bool { text.utf8.count == 64 && isHexDigits(text) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// SHA-256 fed piece by piece: a streamed file is hashed from the same bytes that are parsed.
    struct Hasher {
        private var state = SHA256()
        init() {}
        mutating func update(_ bytes: UnsafeRawBufferPointer) { state.update(bufferPointer: bytes) }
        func finalize() -> String { SHA256Digest.hex(state.finalize()) }
    }
}
