/// One unique label per recording for the rows, columns and leaves of a many-model result, and what had
/// to be done to make them unique.
///
/// Why: researchers and scripts key a matrix's rows and a tree's leaves by model name, but a model name is
/// what a recording says about itself, and two recordings may say the same (two runs of one model, or one
/// file given under two paths). Rows labelled alike cannot be told apart, so:
///
/// - A model name that only one recording carries is its label, unchanged.
/// - Recordings that share a name are labelled `name (file)`, with `file` the shortest trailing part of
///   the recording's path (its file name, else more folders) that no other recording of that name has.
///   The label depends only on the recording's own path and on which other paths share its name, not on
///   the order of the arguments.
/// - Only the same path given twice (or a label equal to another recording's name) is left undistinguished
///   by that; the later occurrences, in argument order, then get ` #2`, ` #3`, ….
///
/// The recordings' own names stay as they are (`models`); `sharedNames` and `identicalFiles` say which
/// recordings collided, for the caller to tell the user.
public struct RecordingLabels: Sendable, Equatable {
    /// A model name carried by more than one recording.
    public struct SharedName: Sendable, Equatable, Encodable {
        public var model: String
        /// Indices of the recordings, in argument order, and their paths and labels.
        public var recordings: [Int]
        public var sources: [String]
        public var labels: [String]

        enum CodingKeys: String, CodingKey { case model, sources, labels }
    }

    /// Recordings with identical content (the same SHA-256): one file given more than once.
    public struct IdenticalFiles: Sendable, Equatable, Encodable {
        public var sha256: String
        public var recordings: [Int]
        public var sources: [String]

        enum CodingKeys: String, CodingKey { case sha256, sources }
    }

    /// One per recording, all different.
    public var labels: [String]
    public var sharedNames: [SharedName]
    public var identicalFiles: [IdenticalFiles]

    /// - Parameters: `models`, `sources` (paths as given) and `sha256s` (an empty hash is never
    ///   compared), one each per recording, in argument order.
    public init(models: [String], sources: [String], sha256s: [String]) {
        var labels = models
        let shared = Self.groups(of: models)
        for group in shared {
            let paths = group.map { Self.components(of: sources[$0]) }
            for (k, index) in group.enumerated() {
                labels[index] = models[index] + " (" + Self.distinguishingSuffix(paths[k], among: paths) + ")"
            }
        }
        // The same path twice, or a made label equal to another recording's own name: number the later ones.
        var seen: [String: Int] = [:]
        var taken = Set(labels)
        for index in labels.indices {
            let count = (seen[labels[index]] ?? 0) + 1
            seen[labels[index]] = count
            guard count > 1 else { continue }
            var number = count
            while taken.contains(labels[index] + " #\(number)") { number += 1 }
            labels[index] += " #\(number)"
            taken.insert(labels[index])
        }
        self.labels = labels
        sharedNames = shared.map { group in
            SharedName(model: models[group[0]], recordings: group, sources: group.map { sources[$0] },
                       labels: group.map { labels[$0] })
        }
        identicalFiles = Self.groups(of: sha256s).filter { !sha256s[$0[0]].isEmpty }.map { group in
            IdenticalFiles(sha256: sha256s[group[0]], recordings: group, sources: group.map { sources[$0] })
        }
    }

    /// `labels` each passed through `shorten` (for a narrow table column or plot margin) when the shortened
    /// labels are still all different; else the labels unshortened, since a row that cannot be told apart
    /// is worse than a wide margin.
    public static func shortened(_ labels: [String], _ shorten: (String) -> String) -> [String] {
        let short = labels.map(shorten)
        return Set(short).count == Set(labels).count ? short : labels
    }

    /// Indices of equal values that occur more than once, each group in index order, groups by first index.
    static func groups(of values: [String]) -> [[Int]] {
        var byValue: [String: [Int]] = [:]
        for (index, value) in values.enumerated() { byValue[value, default: []].append(index) }
        return byValue.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    static func components(of path: String) -> [Substring] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.isEmpty ? [Substring(path)] : parts
    }

    /// The fewest trailing components of `path` that no other path of `paths` ends with (all of `path`
    /// when none are enough, e.g. the same path twice).
    static func distinguishingSuffix(_ path: [Substring], among paths: [[Substring]]) -> String {
        let others = paths.filter { $0 != path }
        var take = 1
        while take < path.count, others.contains(where: { $0.count >= take && $0.suffix(take) == path.suffix(take) }) {
            take += 1
        }
        return path.suffix(take).joined(separator: "/")
    }
}
