import Foundation

/// Resources reused by the jobs of `ParallelWork`, one per job in flight: a job takes an idle one (a new
/// one when all are in use) and gives it back when it is done, so a resource is made once per worker
/// rather than once per job, and no two jobs running at once share one. Used for the featurizer's
/// counters (a 1 MiB count table each) and `BlockedGram`'s staging buffers.
final class WorkerPool<Resource>: @unchecked Sendable {
    private let lock = NSLock()
    private let make: () -> Resource
    private var idle: [Resource] = []
    private var all: [Resource] = []

    init(make: @escaping () -> Resource) { self.make = make }

    /// Runs `body` with a resource of its own, returned to the pool afterwards.
    func withResource<T, Failure: Error>(_ body: (Resource) throws(Failure) -> T) throws(Failure) -> T {
        let resource = take()
        defer { lock.withLock { idle.append(resource) } }
        return try body(resource)
    }

    private func take() -> Resource {
        if let resource = lock.withLock({ idle.popLast() }) { return resource }
        let resource = make()
        lock.withLock { all.append(resource) }
        return resource
    }

    /// Every resource made so far, for an owner that must release them (the pool does not).
    var made: [Resource] { lock.withLock { all } }
}
