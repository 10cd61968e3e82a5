import Foundation
import GeoCore

/// Travel time and distance between snapped places over the road graph, with the paths when kept.
public struct TravelMatrix: Sendable {
    /// Number of places; matrices are `count × count`, row-major.
    public let count: Int
    /// Travel time (s) including the kerb-side penalty; `.infinity` when unreachable.
    public let time: [Double]
    /// Road distance (m) of the fastest path.
    public let distance: [Double]
    let places: [SnappedPoint]
    /// Per source, the arc that reached each node (-1 none, -2/-3 the source's forward/backward seed); empty
    /// unless paths were kept.
    let predecessors: [Int32]
    /// Per pair, how the target is entered: 0 forward (from its segment's start), 1 backward, 2 directly along
    /// the source's segment, 255 unreachable.
    let entry: [UInt8]
    let nodeCount: Int

    /// True when `path(from:to:in:)` can draw routes.
    public var hasPaths: Bool { !predecessors.isEmpty }

    /// Computes the matrices with one Dijkstra search per source (binary heap over the CSR arrays), the sources
    /// shared among `workers` threads. With `keepPaths`, each search's predecessor tree is kept for drawing.
    public init(graph: RoadGraph, places: [SnappedPoint], kerbPenaltyS: Double = 0, keepPaths: Bool = false,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let n = places.count, nodes = graph.nodeCount
        let rows = MatrixRows(pairs: n * n, predecessors: keepPaths ? n * nodes : 0)
        defer { rows.deallocate() }
        // Nodes that must be settled before a search may stop: the ends of every target's segment.
        var targets = [Bool](repeating: false, count: nodes)
        for p in places { targets[Int(graph.segmentFrom[p.segment])] = true; targets[Int(graph.segmentTo[p.segment])] = true }
        let isTarget = targets
        let targetCount = isTarget.filter { $0 }.count
        let workerCount = max(1, min(workers, n))
        DispatchQueue.concurrentPerform(iterations: workerCount) { w in
            let search = DijkstraSearch(graph: graph)
            var source = w
            while source < n {
                isTarget.withUnsafeBufferPointer { search.run(from: places[source], isTarget: $0.baseAddress!, targetCount: targetCount) }
                for target in 0..<n {
                    let (t, d, e) = search.reach(places[target], from: places[source], graph: graph, kerbPenaltyS: kerbPenaltyS)
                    let k = source * n + target
                    rows.time[k] = source == target ? 0 : t
                    rows.distance[k] = source == target ? 0 : d
                    rows.entry[k] = source == target ? 2 : e
                }
                if keepPaths {
                    for v in 0..<nodes { rows.pred[source * nodes + v] = search.pred[v] }
                }
                source += workerCount
            }
        }
        let time = Array(UnsafeBufferPointer(start: rows.time, count: n * n))
        let distance = Array(UnsafeBufferPointer(start: rows.distance, count: n * n))
        let entry = Array(UnsafeBufferPointer(start: rows.entry, count: n * n))
        let preds = Array(UnsafeBufferPointer(start: rows.pred, count: keepPaths ? n * nodes : 0))
        self.count = n; self.time = time; self.distance = distance; self.places = places
        self.predecessors = preds; self.entry = entry; self.nodeCount = nodes
    }

    /// The road path from place `i` to place `j` as coordinates (empty when unreachable or paths were not kept).
    public func path(from i: Int, to j: Int, in graph: RoadGraph) -> [Coordinate] {
        guard hasPaths, time[i * count + j].isFinite else { return [] }
        let a = places[i], b = places[j]
        let e = entry[i * count + j]
        if e == 2 { return i == j ? [a.position] : graph.slice(segment: a.segment, from: a.offset, to: b.offset) }
        // Enter b's segment at its start (forward) or end (backward), then walk the predecessor arcs back.
        var v = Int(e == 0 ? graph.segmentFrom[b.segment] : graph.segmentTo[b.segment])
        let tail = graph.slice(segment: b.segment, from: e == 0 ? 0 : graph.segmentLength[b.segment], to: b.offset)
        var pieces: [[Coordinate]] = []
        let base = i * nodeCount
        while true {
            let p = predecessors[base + v]
            if p == -2 { pieces.append(graph.slice(segment: a.segment, from: a.offset, to: graph.segmentLength[a.segment])); break }
            if p == -3 { pieces.append(graph.slice(segment: a.segment, from: a.offset, to: 0)); break }
            guard p >= 0 else { return [] }
            let arc = Int(p), s = Int(graph.arcSegment[arc])
            let len = graph.segmentLength[s]
            pieces.append(graph.arcForward[arc] ? graph.slice(segment: s, from: 0, to: len) : graph.slice(segment: s, from: len, to: 0))
            v = Int(graph.arcForward[arc] ? graph.segmentFrom[s] : graph.segmentTo[s])
        }
        var out: [Coordinate] = []
        for piece in pieces.reversed() + [tail] {
            for c in piece where out.last != c { out.append(c) }
        }
        return out
    }
}

/// Output buffers the matrix workers fill. `@unchecked Sendable` is safe: each worker writes only the rows of its
/// own sources (disjoint index ranges), and the buffers are read only after `concurrentPerform` returns.
struct MatrixRows: @unchecked Sendable {
    let time: UnsafeMutablePointer<Double>, distance: UnsafeMutablePointer<Double>
    let entry: UnsafeMutablePointer<UInt8>, pred: UnsafeMutablePointer<Int32>
    let pairs: Int, predecessors: Int

    init(pairs: Int, predecessors: Int) {
        self.pairs = pairs; self.predecessors = predecessors
        time = .allocate(capacity: pairs); time.initialize(repeating: .infinity, count: pairs)
        distance = .allocate(capacity: pairs); distance.initialize(repeating: .infinity, count: pairs)
        entry = .allocate(capacity: pairs); entry.initialize(repeating: 255, count: pairs)
        pred = .allocate(capacity: max(1, predecessors)); pred.initialize(repeating: -1, count: max(1, predecessors))
    }

    func deallocate() { time.deallocate(); distance.deallocate(); entry.deallocate(); pred.deallocate() }
}

/// One worker's reusable Dijkstra state: time labels, distances along the fastest tree and a lazy binary heap, all in
/// raw buffers allocated once (no bounds or uniqueness checks in the inner loop). Used by one thread only.
final class DijkstraSearch {
    let graph: RoadGraph
    let nodeCount: Int
    let offsets: UnsafeMutablePointer<Int32>, heads: UnsafeMutablePointer<Int32>
    let arcTime: UnsafeMutablePointer<Double>, arcLength: UnsafeMutablePointer<Double>
    let label: UnsafeMutablePointer<Double>, metres: UnsafeMutablePointer<Double>, pred: UnsafeMutablePointer<Int32>
    let settled: UnsafeMutablePointer<Bool>
    let touched: UnsafeMutablePointer<Int32>
    var touchedCount = 0
    let heapKeys: UnsafeMutablePointer<Double>, heapNodes: UnsafeMutablePointer<Int32>
    var heapCount = 0

    init(graph: RoadGraph) {
        self.graph = graph
        let n = graph.nodeCount, m = graph.arcCount
        nodeCount = n
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
            _ = UnsafeMutableBufferPointer(start: p, count: a.count).initialize(from: a)
            return p
        }
        offsets = copy(graph.offsets); heads = copy(graph.heads); arcTime = copy(graph.arcTime); arcLength = copy(graph.arcLength)
        label = .allocate(capacity: max(1, n)); label.initialize(repeating: .infinity, count: n)
        metres = .allocate(capacity: max(1, n)); metres.initialize(repeating: .infinity, count: n)
        pred = .allocate(capacity: max(1, n)); pred.initialize(repeating: -1, count: n)
        settled = .allocate(capacity: max(1, n)); settled.initialize(repeating: false, count: n)
        touched = .allocate(capacity: max(1, n))
        // A lazy heap holds at most one entry per improving relaxation: arcs + the two seeds.
        heapKeys = .allocate(capacity: m + 2); heapNodes = .allocate(capacity: m + 2)
    }

    deinit {
        for p in [offsets, heads, pred, touched, heapNodes] { p.deallocate() }
        for p in [arcTime, arcLength, label, metres, heapKeys] { p.deallocate() }
        settled.deallocate()
    }

    /// Labels every node reachable from `place` (leaving along its segment in each allowed direction); stops
    /// once all target nodes are settled.
    func run(from place: SnappedPoint, isTarget: UnsafePointer<Bool>, targetCount: Int) {
        for k in 0..<touchedCount {
            let v = Int(touched[k])
            label[v] = .infinity; metres[v] = .infinity; pred[v] = -1; settled[v] = false
        }
        touchedCount = 0
        heapCount = 0
        let s = place.segment, len = graph.segmentLength[s], speed = graph.segmentSpeed[s]
        let oneWay = graph.segments[s].oneWay
        if oneWay >= 0 { relax(Int(graph.segmentTo[s]), time: (len - place.offset) / speed, metres: len - place.offset, tag: -2) }
        if oneWay <= 0 { relax(Int(graph.segmentFrom[s]), time: place.offset / speed, metres: place.offset, tag: -3) }
        var remaining = targetCount
        while heapCount > 0 {
            let key = heapKeys[0], u = Int(heapNodes[0])
            popTop()
            if settled[u] || key > label[u] { continue }
            settled[u] = true
            if isTarget[u] { remaining -= 1; if remaining == 0 { break } }
            let base = metres[u]
            for a in Int(offsets[u])..<Int(offsets[u + 1]) {
                let v = Int(heads[a])
                let t = key + arcTime[a]
                if t < label[v] { relax(v, time: t, metres: base + arcLength[a], tag: Int32(a)) }
            }
        }
    }

    @inline(__always) private func relax(_ v: Int, time t: Double, metres m: Double, tag: Int32) {
        guard t < label[v] else { return }
        if label[v] == .infinity { touched[touchedCount] = Int32(v); touchedCount += 1 }
        label[v] = t; metres[v] = m; pred[v] = tag
        var i = heapCount
        heapCount += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if heapKeys[parent] <= t { break }
            heapKeys[i] = heapKeys[parent]; heapNodes[i] = heapNodes[parent]; i = parent
        }
        heapKeys[i] = t; heapNodes[i] = Int32(v)
    }

    @inline(__always) private func popTop() {
        heapCount -= 1
        let n = heapCount
        guard n > 0 else { return }
        let key = heapKeys[n], node = heapNodes[n]
        var i = 0
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && heapKeys[c + 1] < heapKeys[c] { c += 1 }
            if key <= heapKeys[c] { break }
            heapKeys[i] = heapKeys[c]; heapNodes[i] = heapNodes[c]; i = c
        }
        heapKeys[i] = key; heapNodes[i] = node
    }

    /// Time, distance and entry (0 forward, 1 backward, 2 along the source segment, 255 none) to reach `target`
    /// after `run(from: source)`. Arriving with the point on the far side costs `kerbPenaltyS` more (left-hand traffic).
    func reach(_ target: SnappedPoint, from source: SnappedPoint, graph: RoadGraph,
               kerbPenaltyS: Double) -> (Double, Double, UInt8) {
        let s = target.segment, len = graph.segmentLength[s], speed = graph.segmentSpeed[s]
        let oneWay = graph.segments[s].oneWay
        var best: (Double, Double, UInt8) = (.infinity, .infinity, 255)
        if oneWay >= 0 {
            let v = Int(graph.segmentFrom[s])
            let t = label[v] + target.offset / speed + (target.side == .left ? 0 : kerbPenaltyS)
            if t < best.0 { best = (t, metres[v] + target.offset, 0) }
        }
        if oneWay <= 0 {
            let v = Int(graph.segmentTo[s])
            let t = label[v] + (len - target.offset) / speed + (target.side == .right ? 0 : kerbPenaltyS)
            if t < best.0 { best = (t, metres[v] + len - target.offset, 1) }
        }
        if source.segment == s {
            let along = target.offset - source.offset
            if along >= 0 && oneWay >= 0 {
                let t = along / speed + (target.side == .left ? 0 : kerbPenaltyS)
                if t < best.0 { best = (t, along, 2) }
            }
            if along <= 0 && oneWay <= 0 {
                let t = -along / speed + (target.side == .right ? 0 : kerbPenaltyS)
                if t < best.0 { best = (t, -along, 2) }
            }
        }
        return best
    }
}
