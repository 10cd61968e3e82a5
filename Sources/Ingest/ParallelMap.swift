import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map` spread over every core in contiguous chunks; the result keeps the input order.
    func parallelMap<T: Sendable>(minimumChunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if count < minimumChunk * 2 || cores < 2 { return map(transform) }
        let chunks = Swift.min(cores * 4, (count + minimumChunk - 1) / minimumChunk)
        let size = (count + chunks - 1) / chunks
        let results = Mutex<[Int: [T]]>([:])
        let input = self
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size, hi = Swift.min(input.count, lo + size)
            guard lo < hi else { return }
            let part = input[lo..<hi].map(transform)
            results.withLock { $0[c] = part }
        }
        return results.withLock { r in (0..<chunks).flatMap { r[$0] ?? [] } }
    }
}
