/// The buckets of one answer's style tokens, per structure family, in token order: the sink
/// `StyleTokenizer` writes into, one per `FeatureCounter`, its lists reused from answer to answer.
///
/// Every token goes to `style` and to the one or two families of its class (`StyleTokenizer.classes`).
/// What a token's hash depends on before its value (the family's seed, then the tag's bytes) is the same
/// for every token of that tag, so it is worked out here once per tag and family: a token hashes only its
/// value's bytes (`StableHash`, the same hashes and buckets as hashing tag and value whole).
final class StructureBuckets: StyleSink {
    /// One family a token feeds: its index in the lists, its hash state after seed and tag, its bucket map.
    private struct Route {
        var list: Int
        var state: UInt64
        var map: BucketMap
    }

    /// At most `style`, the class's family and markdown.
    private static let routesPerSlot = 3
    /// Slot `2 · tag + (value empty ? 0 : 1)`: `routeCounts[slot]` routes from `routes[3 · slot]`.
    private let routes: UnsafeMutablePointer<Route>
    private let routeCounts: UnsafeMutablePointer<Int>
    private static let slotCount = 2 * StyleTag.allCases.count

    /// The structure families of the model, in its family order (`lists[k]` is `families[k]`'s).
    let families: [FeatureFamily]
    /// List k is `buckets[k · capacity ..< k · capacity + counts[k]]`.
    private var buckets: UnsafeMutablePointer<UInt32>
    private var capacity = 1 << 10
    private let counts: UnsafeMutablePointer<Int>

    init(layouts: [FamilyLayout]) {
        families = layouts.map(\.family)
        let list = Dictionary(uniqueKeysWithValues: layouts.enumerated().map { ($1.family, $0) })
        let slots = Self.slotCount, perSlot = Self.routesPerSlot
        routes = .allocate(capacity: slots * perSlot)
        routeCounts = .allocate(capacity: slots)
        for tag in StyleTag.allCases {
            let tagBytes = UnsafeBufferPointer(start: tag.text.utf8Start, count: tag.text.utf8CodeUnitCount)
            for hasValue in [false, true] {
                let slot = 2 * tag.rawValue + (hasValue ? 1 : 0)
                let (primary, alsoMarkdown) = StyleTokenizer.classes(tag, valueCount: hasValue ? 1 : 0)
                var n = 0
                for family in [.style, primary] + (alsoMarkdown ? [.markdown] : []) {
                    guard let k = list[family] else { continue }
                    var start = StableHash(seed: layouts[k].seed)
                    start.add(tagBytes)
                    (routes + slot * perSlot + n).initialize(to: Route(list: k, state: start.state, map: BucketMap(layouts[k])))
                    n += 1
                }
                routeCounts[slot] = n
            }
        }
        buckets = .allocate(capacity: max(1, layouts.count) * capacity)
        counts = .allocate(capacity: max(1, layouts.count))
        counts.initialize(repeating: 0, count: max(1, layouts.count))
    }

    deinit {
        routes.deinitialize(count: Self.slotCount * Self.routesPerSlot)
        routes.deallocate()
        routeCounts.deallocate()
        buckets.deallocate()
        counts.deallocate()
    }

    /// Empties every list (capacity kept).
    func removeAll() {
        counts.update(repeating: 0, count: max(1, families.count))
    }

    /// The buckets of `family`'s tokens in token order (empty for a family the model lacks), valid until
    /// the next token.
    func list(of family: FeatureFamily) -> UnsafeBufferPointer<UInt32> {
        guard let k = families.firstIndex(of: family) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: buckets + k * capacity, count: counts[k])
    }

    func token(_ tag: StyleTag, _ bytes: UnsafeBufferPointer<UInt8>, lowercased: Bool) {
        let slot = 2 &* tag.rawValue &+ (bytes.isEmpty ? 0 : 1)
        let n = routeCounts[slot]
        let first = routes + slot &* Self.routesPerSlot
        for r in 0..<n {
            let route = first[r]
            var h = route.state
            if lowercased {
                for b in bytes { h = (h ^ UInt64(b &- 0x41 < 26 ? b | 0x20 : b)) &* StableHash.prime }
            } else {
                for b in bytes { h = (h ^ UInt64(b)) &* StableHash.prime }
            }
            append(route.map(StableHash.mix(h)), to: route.list)
        }
    }

    @inline(__always)
    private func append(_ bucket: UInt32, to k: Int) {
        if _slowPath(counts[k] == capacity) { grow() }
        buckets[k &* capacity &+ counts[k]] = bucket
        counts[k] &+= 1
    }

    /// Doubles every list's capacity, keeping what the lists hold.
    @inline(never)
    private func grow() {
        let lists = max(1, families.count), wider = 2 * capacity
        let moved = UnsafeMutablePointer<UInt32>.allocate(capacity: lists * wider)
        for k in 0..<lists { (moved + k * wider).update(from: buckets + k * capacity, count: counts[k]) }
        buckets.deallocate()
        buckets = moved
        capacity = wider
    }
}
