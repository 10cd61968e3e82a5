/// A least-recently-used map bounded by total cost (bytes), not thread-safe on its own.
///
/// Entries live in arrays linked by index (no per-entry allocation); `get` and `set` are O(1).
public struct LRUCache<Key: Hashable, Value> {
    private struct Node { var key: Key; var value: Value; var cost: Int; var prev: Int; var next: Int }
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var index: [Key: Int] = [:]
    private var head = -1, tail = -1   // head: most recent
    public let capacity: Int
    public private(set) var totalCost = 0

    public init(capacity: Int) { self.capacity = capacity }

    public var count: Int { index.count }

    public mutating func get(_ key: Key) -> Value? {
        guard let i = index[key] else { return nil }
        moveToFront(i)
        return nodes[i].value
    }

    /// Inserts or replaces; an entry costing more than the whole capacity is not kept.
    public mutating func set(_ key: Key, _ value: Value, cost: Int) {
        if let i = index[key] { remove(i) }
        guard cost <= capacity else { return }
        let node = Node(key: key, value: value, cost: cost, prev: -1, next: head)
        let i: Int
        if let f = free.popLast() { nodes[f] = node; i = f } else { nodes.append(node); i = nodes.count - 1 }
        if head >= 0 { nodes[head].prev = i }
        head = i
        if tail < 0 { tail = i }
        index[key] = i
        totalCost += cost
        while totalCost > capacity, tail >= 0 { remove(tail) }
    }

    /// Forgets `key` if it is held.
    public mutating func remove(_ key: Key) {
        if let i = index[key] { remove(i) }
    }

    private mutating func unlink(_ i: Int) {
        let n = nodes[i]
        if n.prev >= 0 { nodes[n.prev].next = n.next } else { head = n.next }
        if n.next >= 0 { nodes[n.next].prev = n.prev } else { tail = n.prev }
    }

    private mutating func moveToFront(_ i: Int) {
        guard head != i else { return }
        unlink(i)
        nodes[i].prev = -1; nodes[i].next = head
        if head >= 0 { nodes[head].prev = i }
        head = i
        if tail < 0 { tail = i }
    }

    private mutating func remove(_ i: Int) {
        unlink(i)
        index[nodes[i].key] = nil
        totalCost -= nodes[i].cost
        free.append(i)
    }
}
