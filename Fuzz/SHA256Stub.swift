import Foundation

/// Fuzzing stand-in for `Support/SHA256Digest.swift`, so that the Input sources build with plain
/// `swiftc` and no swift-crypto. Hashing plays no part in parsing; this returns a fixed digest.
enum SHA256Digest {
    static func hex<D: DataProtocol>(of data: D) -> String { String(repeating: "0", count: 64) }
    static func hex(of text: String) -> String { hex(of: Data(text.utf8)) }
    static func hex(ofFile path: String) throws(InputError) -> String { hex(of: Data()) }

    struct Hasher {
        init() {}
        mutating func update(_ bytes: UnsafeRawBufferPointer) {}
        func finalize() -> String { String(repeating: "0", count: 64) }
    }
}
