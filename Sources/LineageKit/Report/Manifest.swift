import Foundation

/// `manifest.json`: what produced a result folder and the SHA-256 of every byte that went in and came
/// out, so that `lineage verify` can re-run it and show that it reproduces. No timestamps: the same
/// inputs and options give the same manifest.
public struct Manifest: Sendable, Codable, Equatable {
    public struct Tool: Sendable, Codable, Equatable {
        public var name: String
        public var version: String
    }

    public struct InputFile: Sendable, Codable, Equatable {
        /// student, candidate, recording, panel, probe-set, embedding-model, calibration.
        public var role: String
        /// As given (relative to the working directory) and as resolved.
        public var path: String
        public var resolved: String
        public var sha256: String
    }

    public struct OutputFile: Sendable, Codable, Equatable {
        /// File name inside the result folder.
        public var file: String
        public var sha256: String
        public var bytes: Int
    }

    public static let fileName = "manifest.json"
    /// A manifest is a few kilobytes to a few megabytes (one line per panel file); more is not one.
    static let maximumBytes = 64 << 20

    public var tool: Tool
    public var invocation: ReportInvocation
    public var inputs: [InputFile]
    public var outputs: [OutputFile]

    /// Hashes every input of an invocation (before the run, so that what was hashed is what was read).
    public static func inputs(of invocation: ReportInvocation) throws(ReportError) -> [InputFile] {
        var files: [InputFile] = []
        for (role, path) in invocation.inputFiles {
            let resolved = resolvedPath(path, in: invocation.workingDirectory)
            let hash: String
            do { hash = try SHA256Digest.hex(ofFile: resolved) } catch {
                throw ReportError("cannot hash the \(role) file \(path): \(error)")
            }
            files.append(InputFile(role: role, path: path, resolved: resolved, sha256: hash))
        }
        return files
    }

    public static func load(directory: String) throws(ReportError) -> Manifest {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let data: Data
        switch RegularFile.read(path, limit: maximumBytes) {
        case let .success(bytes): data = bytes
        case let .failure(refusal): throw ReportError("cannot read the manifest \(refusal)")
        }
        do { return try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw ReportError("\(path) is not a Lineage manifest: \(error)")
        }
    }

    /// Inputs whose bytes are no longer what the manifest recorded: one line each, naming the file.
    public func changedInputs() -> [String] {
        inputs.compactMap { input in
            guard FileManager.default.fileExists(atPath: input.resolved) else {
                return "missing \(input.role) file: \(input.path) (\(input.resolved))"
            }
            let hash: String
            do throws(InputError) { hash = try SHA256Digest.hex(ofFile: input.resolved) } catch {
                return "unreadable \(input.role) file: \(input.path) (\(input.resolved): \(error.message))"
            }
            return hash == input.sha256 ? nil
                : "changed \(input.role) file: \(input.path) (sha256 \(hash.prefix(16))…, manifest \(input.sha256.prefix(16))…)"
        }
    }

    /// Entries of the result folder the manifest does not account for (a planted file, a subfolder, a link),
    /// and output names that are not plain file names inside the folder: a verified folder holds exactly
    /// the manifest and the outputs it lists, besides result folders nested in it (each with a manifest of
    /// its own, verified on its own: `Results/demo/matrix`).
    public func unlistedEntries(in folder: String) -> [String] {
        var problems: [String] = []
        for output in outputs where output.file.isEmpty || output.file.contains("/") || output.file.hasPrefix(".")
            || output.file == Self.fileName {
            problems.append("the manifest lists an output that is not a plain file name in the folder: \"\(output.file)\"")
        }
        let listed = Set(outputs.map(\.file) + [Self.fileName])
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for entry in entries where !listed.contains(entry) {
            let path = (folder as NSString).appendingPathComponent(entry)
            if ResultFolder.isRunArtifact(entry) {
                problems.append("left by a lineage run that was interrupted or is still running: \(entry) (remove it when no run is writing here)")
            } else if !ResultFolder.isNestedResult(path) {
                problems.append("not written by Lineage (not in the manifest): \(entry)")
            }
        }
        for entry in entries where listed.contains(entry) {
            var info = stat()
            let path = (folder as NSString).appendingPathComponent(entry)
            if lstat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG {
                problems.append("not a regular file: \(entry)")
            }
        }
        return problems
    }

    /// Inputs the manifest lists other than the invocation names them (a role or path edited), one line
    /// each; `fresh` is `Manifest.inputs(of: invocation)`.
    public func inputListDifferences(_ fresh: [InputFile]) -> [String] {
        guard fresh.count == inputs.count else {
            return ["the manifest lists \(inputs.count) inputs, its invocation names \(fresh.count)"]
        }
        return zip(inputs, fresh).compactMap { listed, named in
            listed == named ? nil : "input listed as \(listed.role) \(listed.path) (\(listed.resolved)), but the invocation names \(named.role) \(named.path) (\(named.resolved))"
        }
    }

    /// How a re-run's manifest differs from the stored one, field by field; the whole file is compared
    /// byte for byte, so an added key or a reformatting is found too.
    public static func differences(stored: Data, rerun: Data) -> [String] {
        guard stored != rerun else { return [] }
        guard let old = try? JSONDecoder().decode(Manifest.self, from: stored),
              let new = try? JSONDecoder().decode(Manifest.self, from: rerun) else {
            return ["manifest.json differs from the re-run's manifest"]
        }
        var lines: [String] = []
        if old.tool != new.tool {
            lines.append("manifest.json: made by \(old.tool.name) \(old.tool.version), re-run by \(new.tool.name) \(new.tool.version)")
        }
        if old.invocation != new.invocation { lines.append("manifest.json: the invocation differs from the re-run's") }
        if old.inputs != new.inputs { lines.append("manifest.json: the input list differs from the re-run's") }
        if old.outputs != new.outputs { lines.append("manifest.json: the output list differs from the re-run's") }
        if lines.isEmpty { lines.append("manifest.json: edited (same fields, other bytes: a reformatting or an added key)") }
        return lines
    }

    /// Outputs of a re-run (in `rerun`) or of the result folder (`original`) that differ from the
    /// manifest, one line each naming the file.
    public func differingOutputs(original: String, rerun: String) -> [String] {
        var problems: [String] = []
        for output in outputs {
            let fresh = (rerun as NSString).appendingPathComponent(output.file)
            let kept = (original as NSString).appendingPathComponent(output.file)
            let freshHash = try? SHA256Digest.hex(ofFile: fresh)
            let keptHash = try? SHA256Digest.hex(ofFile: kept)
            if freshHash == nil {
                problems.append("not produced by the re-run: \(output.file)")
            } else if freshHash != output.sha256 {
                problems.append("differs on re-run: \(output.file)")
            }
            if keptHash == nil {
                problems.append("missing from the result folder: \(output.file)")
            } else if keptHash != output.sha256 {
                problems.append("edited since it was written: \(output.file)")
            }
        }
        let listed = Set(outputs.map(\.file))
        let produced = (try? FileManager.default.contentsOfDirectory(atPath: rerun)) ?? []
        for extra in produced.sorted() where extra != Self.fileName && !listed.contains(extra) && !extra.hasPrefix(".") {
            problems.append("produced by the re-run but not in the manifest: \(extra)")
        }
        return problems
    }
}
