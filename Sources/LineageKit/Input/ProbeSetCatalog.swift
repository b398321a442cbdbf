import Foundation

/// What `lineage probes list` shows of one probe set.
public struct ProbeSetInfo: Sendable, Equatable, Codable {
    public var name: String
    public var directory: String
    public var probes: Int
    /// Categories in first-appearance order, with their probe counts.
    public var categories: [CategoryCount]
    /// SHA-256 of `probes.jsonl`: the set's identity.
    public var sha256: String
    /// Whether the set has a background panel (`panel/` with at least one file).
    public var hasPanel: Bool
    /// Set when the folder's `probes.jsonl` could not be read.
    public var error: String?

    public struct CategoryCount: Sendable, Equatable, Codable {
        public var category: String
        public var probes: Int
    }

    enum CodingKeys: String, CodingKey {
        case name, directory, probes, categories, sha256, error
        case hasPanel = "has_panel"
    }
}

/// The probe sets found in `ProbeSet.searchRoots()`: every folder holding a `probes.jsonl`.
public enum ProbeSetCatalog {
    /// One entry per set name, the first root that has it winning (as `ProbeSet.resolve` does), sorted by name.
    public static func list(roots: [String] = ProbeSet.searchRoots()) -> [ProbeSetInfo] {
        let manager = FileManager.default
        var found: [String: ProbeSetInfo] = [:]
        for root in roots {
            guard let names = try? manager.contentsOfDirectory(atPath: root) else { continue }
            for name in names.sorted() where found[name] == nil {
                let directory = (root as NSString).appendingPathComponent(name)
                guard manager.fileExists(atPath: (directory as NSString).appendingPathComponent("probes.jsonl")) else { continue }
                let panel = (directory as NSString).appendingPathComponent("panel")
                let hasPanel = ((try? manager.contentsOfDirectory(atPath: panel)) ?? []).contains { !$0.hasPrefix(".") }
                do throws(InputError) {
                    let set = try ProbeSet.load(path: directory)
                    found[name] = ProbeSetInfo(name: name, directory: directory, probes: set.probes.count,
                                               categories: categories(of: set), sha256: set.sha256, hasPanel: hasPanel, error: nil)
                } catch {
                    found[name] = ProbeSetInfo(name: name, directory: directory, probes: 0, categories: [], sha256: "",
                                               hasPanel: hasPanel, error: error.description)
                }
            }
        }
        return found.values.sorted { $0.name < $1.name }
    }

    static func categories(of set: ProbeSet) -> [ProbeSetInfo.CategoryCount] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for probe in set.probes {
            if counts[probe.category] == nil { order.append(probe.category) }
            counts[probe.category, default: 0] += 1
        }
        return order.map { ProbeSetInfo.CategoryCount(category: $0, probes: counts[$0] ?? 0) }
    }
}
