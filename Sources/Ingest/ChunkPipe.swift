import Foundation
import Synchronization

/// Hands chunks of work from the thread that reads and checks a file to the thread that writes it,
/// so the two overlap. Bounded: the reader waits when `capacity` chunks are queued, which keeps
/// memory flat however large the file. Either side can stop the other: the reader by finishing or
/// abandoning, the writer by failing.
final class ChunkPipe<Chunk: Sendable, Ending: Sendable>: Sendable {
    private struct State {
        var chunks: [Chunk] = []
        var ending: Ending??          // .some(nil): abandoned; .some(e): finished with e
        var writerFailed = false
    }
    private let state = Mutex(State())
    private let changed = NSCondition()
    let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Thrown to the reader when the writer has failed: stop reading, the writer's error explains.
    struct WriterStopped: Error {}

    /// Queues a chunk, waiting while the pipe is full.
    func send(_ chunk: Chunk) throws {
        changed.lock(); defer { changed.unlock() }
        while true {
            let (full, failed) = state.withLock { ($0.chunks.count >= capacity, $0.writerFailed) }
            if failed { throw WriterStopped() }
            if !full { break }
            changed.wait()
        }
        state.withLock { $0.chunks.append(chunk) }
        changed.broadcast()
    }

    /// No more chunks; the writer commits with `ending` (nil: the writer rolls back).
    func close(_ ending: Ending?) {
        changed.lock(); defer { changed.unlock() }
        state.withLock { $0.ending = .some(ending) }
        changed.broadcast()
    }

    /// The writer's side: the next chunk, or nil once the reader has closed the pipe and all is taken.
    func receive() -> Chunk? {
        changed.lock(); defer { changed.unlock() }
        while true {
            let next: Chunk?? = state.withLock { s in
                if !s.chunks.isEmpty { return .some(s.chunks.removeFirst()) }
                return s.ending == nil ? nil : .some(nil)
            }
            if let next { changed.broadcast(); return next }
            changed.wait()
        }
    }

    /// After `receive` returned nil: how the reader ended (nil when it abandoned the load).
    func ending() -> Ending? {
        state.withLock { $0.ending ?? nil }
    }

    /// The writer failed: wake the reader so its next `send` throws.
    func writerFailed() {
        changed.lock(); defer { changed.unlock() }
        state.withLock { $0.writerFailed = true }
        changed.broadcast()
    }
}
