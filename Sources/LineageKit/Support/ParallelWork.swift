import Foundation

/// Runs numbered jobs on a few worker threads that each take the next unclaimed job when they finish one.
///
/// A shared counter rather than a fixed assignment, because the machine is often shared: a worker whose
/// core is busy elsewhere takes fewer jobs instead of holding the others back. Each job runs exactly once,
/// but which worker runs it is not fixed, so a job must write only its own result; callers that need
/// bit-identical output for any thread count fix the work of each job independently of `threads`.
enum ParallelWork {
    /// Calls `job(i)` once for every `i` in `0..<count`, on `min(threads, count)` workers (the caller's
    /// thread alone when that is one), and returns when all calls have returned.
    static func run(jobs count: Int, threads: Int, _ job: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for index in 0..<count { job(index) }
            return
        }
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = counter.next()
                guard index < count else { return }
                job(index)
            }
        }
    }

    /// The next job number, handed out under a lock (one lock per job: negligible beside a job's work).
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            let current = value
            value += 1
            return current
        }
    }

    /// `transform(i)` for every `i` in `0..<count` on up to `threads` workers, results in index order.
    /// When calls throw, the error of the lowest failing index is rethrown — the error a serial loop would
    /// stop at — and indices above a failure already seen are not started.
    static func map<T: Sendable, Failure: Error>(jobs count: Int, threads: Int,
                                                 _ transform: @Sendable (Int) throws(Failure) -> T) throws(Failure) -> [T] {
        let results = OrderedResults<T, Failure>(count: count)
        run(jobs: count, threads: threads) { index in
            guard !results.failed(before: index) else { return }
            do throws(Failure) {
                results.store(.success(try transform(index)), at: index)
            } catch {
                results.store(.failure(error), at: index)
            }
        }
        return try results.inOrder()
    }

    /// Outcomes written under a lock by whichever worker ran the job, and the lowest failing index so far.
    private final class OrderedResults<T: Sendable, Failure: Error>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<T, Failure>?]
        private var firstFailure = Int.max

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func failed(before index: Int) -> Bool { lock.withLock { firstFailure < index } }

        func store(_ result: Result<T, Failure>, at index: Int) {
            lock.withLock {
                if case .failure = result { firstFailure = min(firstFailure, index) }
                slots[index] = result
            }
        }

        func inOrder() throws(Failure) -> [T] {
            var out: [T] = []
            out.reserveCapacity(slots.count)
            for slot in slots {
                switch slot {
                case .success(let value): out.append(value)
                case .failure(let error): throw error
                // Only jobs after a failure are skipped, so that failure is met first.
                case nil: continue
                }
            }
            return out
        }
    }
}
