import Foundation

/// A fixed, ordered set of probe prompts: the questions every compared model answered.
///
/// Its identity in results is the SHA-256 of its `probes.jsonl`, so two runs on "the same" set can
/// be shown to be on the same bytes.
public struct ProbeSet: Sendable {
    public let name: String
    public let probes: [Probe]
    public let sha256: String
    /// The set's folder (`Probes/<set>/`), holding its panel and calibration, when it came from one.
    public let directory: String?
    /// The file the probes were read from.
    public let path: String

    private let indexByID: [String: Int]
    private let indexByPrompt: [String: Int]

    public init(name: String, probes: [Probe], sha256: String, path: String, directory: String?) throws(InputError) {
        try self.init(name: name, probes: probes, sha256: sha256, path: path, directory: directory, lines: nil)
    }

    /// - Parameter lines: the file line of each probe, so that a duplicate is reported where it stands
    ///   (blank lines make it differ from the probe's position).
    init(name: String, probes: [Probe], sha256: String, path: String, directory: String?, lines: [Int]?) throws(InputError) {
        guard !probes.isEmpty else {
            throw InputError(.emptyProbeSet, at: SourceLocation(path: path), "the probe set holds no probes")
        }
        var byID: [String: Int] = [:]
        var byPrompt: [String: Int] = [:]
        for (index, probe) in probes.enumerated() {
            if let earlier = byID[probe.id] {
                let line = lines.map { $0[index] } ?? index + 1
                let first = lines.map { $0[earlier] } ?? earlier + 1
                throw InputError(.duplicateProbe, at: SourceLocation(path: path, line: line),
                                 "duplicate probe id \"\(probe.id)\" (first on line \(first))")
            }
            byID[probe.id] = index
            let key = Self.promptKey(probe.prompt)
            if byPrompt[key] == nil { byPrompt[key] = index }
        }
        self.name = name
        self.probes = probes
        self.sha256 = sha256
        self.path = path
        self.directory = directory
        self.indexByID = byID
        self.indexByPrompt = byPrompt
    }

    public func index(ofID id: String) -> Int? { indexByID[id] }
    public func index(ofPrompt prompt: String) -> Int? { indexByPrompt[Self.promptKey(prompt)] }

    /// Prompts match when they agree after white-space runs are folded and the ends trimmed (`PromptKey`).
    static func promptKey(_ prompt: String) -> String { PromptKey.fold(prompt) }

    /// Loads `probes.jsonl` (`id`, `prompt`, `category`, `purpose`, optional `system` a line), or a set's folder holding one.
    public static func load(path: String) throws(InputError) -> ProbeSet {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let file = exists && isDirectory.boolValue ? (path as NSString).appendingPathComponent("probes.jsonl") : path
        let directory = exists && isDirectory.boolValue ? path : nil
        let input = try InputFile(path: file)
        try input.refuseUnsupportedEncoding()
        var probes: [Probe] = []
        var lineNumbers: [Int] = []
        let facts: InputFile.Facts
        do {
            facts = try input.forEachLine { number, bytes, _ in
                if bytes.isBlank { return }
                let value: JSONValue
                do throws(JSONParser.Failure) { value = try JSONParser.parse(bytes, firstLine: number) } catch {
                    throw input.error(error)
                }
                let fields = FieldReader(file: input, line: number, record: value)
                guard let id = try fields.optionalIdentifier("id") else {
                    throw InputError(.missingField, at: input.location(line: number), "missing field \"id\"")
                }
                let prompt = try fields.requiredString("prompt")
                // An empty id cannot be named by a recording, and a blank prompt asks nothing: both would
                // count as probes answered or missing without meaning either.
                guard !id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw InputError(.missingField, at: input.location(line: number), "field \"id\" is empty")
                }
                guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw InputError(.missingField, at: input.location(line: number), "field \"prompt\" of probe \"\(id)\" is blank")
                }
                probes.append(Probe(id: id, prompt: prompt,
                                    category: try fields.optionalString("category") ?? "general",
                                    purpose: try fields.optionalString("purpose") ?? "",
                                    system: try fields.optionalString("system")))
                lineNumbers.append(number)
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(.unreadable, at: input.location(), "\(error)")
        }
        let name = directory.map { ($0 as NSString).lastPathComponent }
            ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return try ProbeSet(name: name, probes: probes, sha256: facts.sha256, path: file, directory: directory,
                            lines: lineNumbers)
    }

    /// Finds a set by name or path: a path that exists is used as given; otherwise `<root>/<name>` for
    /// each root in `$LINEAGE_PROBES`, `./Probes`, and `Probes/` beside the installed tool.
    public static func resolve(_ nameOrPath: String) throws(InputError) -> ProbeSet {
        if FileManager.default.fileExists(atPath: nameOrPath) { return try load(path: nameOrPath) }
        // A path that exists only as a link (a loop, a dangling link) is loaded so that its refusal names it,
        // rather than being looked up as a set's name and reported as "no such set".
        var link = stat()
        if lstat(nameOrPath, &link) == 0 { return try load(path: nameOrPath) }
        for root in searchRoots() {
            let candidate = (root as NSString).appendingPathComponent(nameOrPath)
            if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("probes.jsonl")) {
                return try load(path: candidate)
            }
        }
        throw InputError(.unreadable, at: SourceLocation(path: nameOrPath),
                         "no probe set of that name or path (looked in \(searchRoots().joined(separator: ", ")); set LINEAGE_PROBES=DIR to look in a folder of probe sets too)")
    }

    /// Where named probe sets are looked for, in order.
    public static func searchRoots() -> [String] {
        var roots: [String] = []
        if let custom = ProcessInfo.processInfo.environment["LINEAGE_PROBES"], !custom.isEmpty { roots.append(custom) }
        roots.append("Probes")
        // The tool runs from <repo>/.build/<config>/lineage during development and CI, and from
        // PREFIX/lib/lineage/lineage (linked from PREFIX/bin) when installed. The executable's own path
        // (`Bundle.main`, from the system) comes first: run through PATH, argv[0] is only "lineage".
        var executables: [URL] = []
        if let path = Bundle.main.executableURL { executables.append(path.resolvingSymlinksInPath()) }
        executables.append(URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath())
        for executable in executables {
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<4 {
                let probes = folder.appendingPathComponent("Probes").path
                if !roots.contains(probes) { roots.append(probes) }
                folder = folder.deletingLastPathComponent()
            }
        }
        return roots
    }
}
