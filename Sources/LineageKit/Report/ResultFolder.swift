import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts a result folder (`--out DIR`) in place as a whole, and only over what Lineage wrote before.
///
/// - Whole or not at all: the files are written into a sibling folder `.DIR.lineage-partial-…` (holding an
///   `INCOMPLETE` marker until the last file is in), which is then swapped into place with one
///   `renameat2(RENAME_EXCHANGE)` (two `rename`s where the kernel lacks it). A run killed at any moment
///   leaves `DIR` as the whole old report or the whole new one; the sibling it leaves says INCOMPLETE and is
///   removed by the next run into `DIR`.
/// - Only over Lineage's own files: an existing `DIR` must be empty or hold exactly a manifest and the
///   outputs it lists, each with its recorded SHA-256. A file Lineage did not write (a user's own
///   report.html, an edited one, the recordings of `matrix DIR --out DIR`) is refused, never replaced; the
///   old report's other outputs go with it, so no stale file of an earlier command stays beside the new
///   manifest.
/// - One writer at a time: `.DIR.lineage-lock` beside the folder is `flock`-ed for the whole run, so a
///   second run into the same `DIR` is refused at once instead of losing one of the two results.
struct ResultFolder {
    static let incompleteMarker = "INCOMPLETE"
    static let partialInfix = ".lineage-partial-"

    /// The folder as given (for messages), its absolute path, its parent and its name.
    let shown: String
    let target: String
    let parent: String
    let name: String
    let inputs: [String]
    private let lock: FolderLock

    /// Takes the folder's lock and checks that it may be replaced, before any work is done, so that a
    /// second run into the same folder stops at once rather than after computing its result.
    /// - Parameter inputs: resolved paths of the run's inputs; a folder holding one of them is never replaced.
    static func reserve(_ directory: String, inputs: [String]) throws(ReportError) -> ResultFolder {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw ReportError("\(directory): a result folder needs a name of its own (not /, . or ..)")
        }
        let parent = url.deletingLastPathComponent().path
        try ReportFileWriter.createDirectory(parent)
        let lock = try FolderLock(parent: parent, name: name, shown: directory)
        let folder = ResultFolder(shown: directory, target: url.path, parent: parent, name: name, inputs: inputs, lock: lock)
        do throws(ReportError) {
            try refuseInputs(inputs, inside: folder.target, shown: directory)
            try auditExisting(folder.target, shown: directory)
        } catch {
            lock.release()
            throw error
        }
        return folder
    }

    /// Lets go of the lock (after `write`, or when the run failed).
    func release() { lock.release() }

    /// Writes `files` and then the manifest made from their hashes, and puts the folder in place.
    /// - Parameter manifest: encodes the manifest for the listed outputs (written last).
    func write(_ files: [(String, Data)], manifest: ([Manifest.OutputFile]) throws(ReportError) -> Data) throws(ReportError) {
        let nested = try Self.auditExisting(target, shown: shown)
        Self.removeLeftovers(parent: parent, name: name)
        let partial = (parent as NSString).appendingPathComponent(
            ".\(name)\(Self.partialInfix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard mkdir(partial, 0o755) == 0 else {
            throw ReportError("cannot create the folder \(partial): \(String(cString: strerror(errno)))")
        }
        do throws(ReportError) {
            try ReportFileWriter.write(Data("A lineage run is writing this folder, or was killed while it did; it is not a result.\n".utf8),
                                       named: Self.incompleteMarker, in: partial)
            var outputs: [Manifest.OutputFile] = []
            for (file, data) in files {
                try ReportFileWriter.write(data, named: file, in: partial)
                outputs.append(Manifest.OutputFile(file: file, sha256: SHA256Digest.hex(of: data), bytes: data.count))
            }
            try ReportFileWriter.write(try manifest(outputs.sorted { $0.file < $1.file }), named: Manifest.fileName, in: partial)
            guard unlink((partial as NSString).appendingPathComponent(Self.incompleteMarker)) == 0 else {
                throw ReportError("cannot finish \(partial): \(String(cString: strerror(errno)))")
            }
            guard !nested.contains(where: { files.map(\.0).contains($0) }) else {
                throw ReportError("\(shown): a result folder nested in it has the name of one of the new outputs")
            }
            try Self.swap(partial, into: target, shown: shown)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        // `partial` now holds the old report: its nested result folders move into the new one, then it goes.
        var kept = true
        for folder in nested {
            let from = (partial as NSString).appendingPathComponent(folder)
            if rename(from, (target as NSString).appendingPathComponent(folder)) != 0 { kept = false }
        }
        if kept { try? FileManager.default.removeItem(atPath: partial) }
    }

    /// Refuses a target folder that is, or holds, one of the run's inputs (`matrix DIR --out DIR`).
    static func refuseInputs(_ inputs: [String], inside target: String, shown: String) throws(ReportError) {
        let root = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        for input in inputs {
            let real = URL(fileURLWithPath: input).resolvingSymlinksInPath().path
            if real == root || real.hasPrefix(root + "/") {
                throw ReportError("\(shown): the result folder holds an input of this run (\(input)); write the results to another folder, so that the next run does not read them as inputs")
            }
        }
    }

    /// True for a folder that holds a Lineage manifest of its own: a result nested in another
    /// (`make demo` writes `Results/demo/matrix` inside `Results/demo`). It is kept when its parent is
    /// replaced, and verified on its own.
    static func isNestedResult(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        return (try? Manifest.load(directory: path)) != nil
    }

    /// True for the lock file and partial folders a run into a nested result folder leaves beside it.
    static func isRunArtifact(_ name: String) -> Bool {
        name.hasPrefix(".") && (name.hasSuffix(".lineage-lock") || name.contains(partialInfix))
    }

    /// An existing target must be a real folder holding only a Lineage manifest and the outputs it lists,
    /// unchanged (besides result folders nested in it and what runs into those leave); anything else is
    /// the user's and is not replaced.
    /// - Returns: the names of the nested result folders, which the new folder keeps.
    @discardableResult
    static func auditExisting(_ target: String, shown: String) throws(ReportError) -> [String] {
        var info = stat()
        guard lstat(target, &info) == 0 else { return [] }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw ReportError("\(shown): is a symbolic link; give the folder it points to, or another --out")
        default: throw ReportError("\(shown): exists and is not a folder; refusing to replace it")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: target).sorted() } catch {
            throw ReportError("cannot list \(shown): \(error.localizedDescription)")
        }
        if entries.isEmpty { return [] }
        guard entries.contains(Manifest.fileName), let manifest = try? Manifest.load(directory: target) else {
            throw ReportError("\(shown): the folder holds files Lineage did not write (no Lineage manifest.json: \(listing(entries))); refusing to replace them: move them away, or choose another --out")
        }
        let listed = Dictionary(manifest.outputs.map { ($0.file, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        var foreign: [String] = []
        var nested: [String] = []
        for entry in entries where entry != Manifest.fileName && !isRunArtifact(entry) {
            let path = (target as NSString).appendingPathComponent(entry)
            guard let expected = listed[entry] else {
                if isNestedResult(path) { nested.append(entry) } else { foreign.append(entry) }
                continue
            }
            var entryInfo = stat()
            guard lstat(path, &entryInfo) == 0, (entryInfo.st_mode & S_IFMT) == S_IFREG,
                  (try? SHA256Digest.hex(ofFile: path)) == expected else {
                foreign.append("\(entry) (changed since Lineage wrote it)")
                continue
            }
        }
        if !foreign.isEmpty {
            throw ReportError("\(shown): the folder holds files Lineage did not write or that were changed since: \(listing(foreign)); refusing to replace them: move them away, or choose another --out")
        }
        return nested
    }

    private static func listing(_ names: [String]) -> String {
        names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
    }

    /// Removes `.NAME.lineage-partial-*` folders an interrupted run left (the lock says no run is active).
    /// Only folders that hold nothing but regular files are touched.
    static func removeLeftovers(parent: String, name: String) {
        let prefix = ".\(name)\(partialInfix)"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) {
            let path = (parent as NSString).appendingPathComponent(entry)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            let inside = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let plain = inside.allSatisfy { file in
                var fileInfo = stat()
                return lstat((path as NSString).appendingPathComponent(file), &fileInfo) == 0 && (fileInfo.st_mode & S_IFMT) == S_IFREG
            }
            if plain { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// Moves the finished `partial` to `target`: a plain rename when there is no target, else an atomic
    /// exchange (after which `partial` holds the old folder, for the caller to remove).
    static func swap(_ partial: String, into target: String, shown: String) throws(ReportError) {
        var info = stat()
        if lstat(target, &info) != 0 {
            guard rename(partial, target) == 0 else {
                throw ReportError("cannot move the new report into \(shown): \(String(cString: strerror(errno)))")
            }
            return
        }
        if let exchange = renameExchange {
            if exchange(AT_FDCWD, partial, AT_FDCWD, target, 2 /* RENAME_EXCHANGE */) == 0 { return }
            guard errno == EINVAL || errno == ENOSYS else {
                throw ReportError("cannot swap the new report into \(shown): \(String(cString: strerror(errno)))")
            }
        }
        // No atomic exchange (old kernel or file system): the old folder steps aside under a partial name,
        // so an interruption here leaves both reports whole, the new one still beside the target.
        let aside = partial + "-old"
        guard rename(target, aside) == 0 else {
            throw ReportError("cannot move the old report in \(shown) aside: \(String(cString: strerror(errno)))")
        }
        guard rename(partial, target) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside, target)
            throw ReportError("cannot move the new report into \(shown): \(reason)")
        }
        _ = rename(aside, partial)
    }

    /// `renameat2`, looked up at run time: glibc declares it only under `_GNU_SOURCE`, which Swift's Glibc
    /// module does not set.
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameExchange: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
}

/// The exclusive lock `.NAME.lineage-lock` beside a result folder, held while a run writes it.
struct FolderLock {
    private let fd: Int32
    private let path: String

    init(parent: String, name: String, shown: String) throws(ReportError) {
        path = (parent as NSString).appendingPathComponent(".\(name).lineage-lock")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw ReportError("cannot create the lock file \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            close(fd)
            throw ReportError(busy
                ? "\(shown): another lineage run is writing this result folder (it holds \(path)); wait for it to finish, or choose another --out"
                : "cannot lock \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Unlinks the lock file while still holding it, then lets go: a run that opened it before the unlink
    /// finds it locked and stops; one that comes later makes a fresh one.
    func release() {
        unlink(path)
        close(fd)
    }
}
