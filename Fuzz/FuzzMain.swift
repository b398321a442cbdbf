import Foundation

// libFuzzer entry point for one reader, chosen at compile time (-D FUZZ_JSON, FUZZ_JSONL, FUZZ_ALPACA,
// FUZZ_BATCH, FUZZ_CSV, FUZZ_PROBESET, FUZZ_DETECT, FUZZ_MANIFEST). Built by `make fuzz`. Any InputError is a correct
// answer; a crash, a sanitizer report, a hang, or a result that depends on the chunk size is a bug.

/// Reads `bytes` in one chunk and in small chunks (size taken from the input), and traps if the two
/// outcomes differ: streaming must not depend on where chunk boundaries fall.
func readTwice(_ bytes: [UInt8], format: RecordingFormat?, path: String) {
    func outcome(_ chunkSize: Int) -> String {
        let file = InputFile(path: path, contents: bytes, chunkSize: chunkSize)
        var answers: [RecordedAnswer] = []
        do {
            let header = try RecordingReader.forEachAnswer(file, format: format) { answers.append($0) }
            guard let set = try? ProbeSet(name: "f", probes: [Probe(id: "p1", prompt: "a"), Probe(id: "p2", prompt: "b")],
                                          sha256: "", path: "f", directory: nil) else { return "set" }
            let recording = Recording(model: header.model, source: path, format: header.format, sha256: header.sha256,
                                      answers: answers, notes: header.notes)
            return "\(answers) \(header) \(Aligner.align(recording, to: set).summary)"
        } catch {
            return "\(error)"
        }
    }
    let small = 1 + Int(bytes.first ?? 0) % 13
    let whole = outcome(1 << 20)
    if whole != outcome(small) { fatalError("outcome depends on the chunk size (\(small))") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    #if FUZZ_JSON
    _ = try? JSONParser.parse(buffer)
    #elseif FUZZ_PROBESET
    // ProbeSet.load reads from a path: the fuzzer's bytes go to one file per process in shared memory.
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = "\(folder)/lineage-fuzz-\(getpid()).jsonl"
    _ = FileManager.default.createFile(atPath: path, contents: Data(buffer: buffer))
    _ = try? ProbeSet.load(path: path)
    #elseif FUZZ_MANIFEST
    // The manifest `verify` reads, and what verify checks of a folder against it (here: one file of its own).
    let folder = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
        + "/lineage-fuzz-manifest-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: folder + "/manifest.json", contents: Data(buffer: buffer))
    if let manifest = try? Manifest.load(directory: folder) {
        _ = manifest.unlistedEntries(in: folder)
        _ = manifest.inputListDifferences(manifest.inputs)
        _ = manifest.invocation.inputFiles
    }
    #else
    let bytes = Array(buffer)
    #if FUZZ_JSONL
    readTwice(bytes, format: .canonical, path: "fuzz.jsonl")
    #elseif FUZZ_ALPACA
    readTwice(bytes, format: .alpacaEval, path: "fuzz.json")
    #elseif FUZZ_BATCH
    readTwice(bytes, format: .openAIBatch, path: "fuzz.jsonl")
    #elseif FUZZ_CSV
    readTwice(bytes, format: .csv, path: "fuzz.csv")
    #else
    readTwice(bytes, format: nil, path: "fuzz")  // detection, then whichever reader it picks
    #endif
    #endif
    return 0
}
