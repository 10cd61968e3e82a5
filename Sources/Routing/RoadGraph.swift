import Foundation
import GeoCore

/// A road ledger (道路台帳) segment as the road graph needs it; coordinates in a metric CRS (EPSG:6677).
public struct RoadSegment: Sendable, Hashable {
    /// The ledger's segment id.
    public var id: String
    /// The centreline, first vertex to last.
    public var points: [Coordinate]
    /// Road class (1級, 2級, その他市道, ...), which sets the speed.
    public var roadClass: String
    /// Carriageway width (m), nil when the ledger does not say.
    public var widthM: Double?
    /// 0: both ways; 1: only in the digitised direction; -1: only against it.
    public var oneWay: Int

    public init(id: String, points: [Coordinate], roadClass: String, widthM: Double? = nil, oneWay: Int = 0) {
        self.id = id; self.points = points; self.roadClass = roadClass; self.widthM = widthM; self.oneWay = oneWay
    }

    /// Length of the centreline (m).
    public var length: Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) }
    }
}

/// What a truck may use and how fast it goes: the routing settings, free of the settings file.
public struct GraphProfile: Sendable, Hashable {
    /// Speed per road class (km/h); the key `default` covers other classes.
    public var speedsKmh: [String: Double]
    /// Segment ends closer than this (m) meet at one node.
    public var snapToleranceM: Double
    /// Roads narrower than this (m) are closed to the truck.
    public var minWidthM: Double
    /// Pickup points farther than this (m) from a usable road are reported instead of snapped.
    public var maxSnapDistanceM: Double
    /// Extra seconds charged for reaching a stop with it on the far side (driving on the left, 左側通行).
    public var kerbPenaltyS: Double

    public init(speedsKmh: [String: Double] = ["default": 20], snapToleranceM: Double = 0.5, minWidthM: Double = 3,
                maxSnapDistanceM: Double = 100, kerbPenaltyS: Double = 30) {
        self.speedsKmh = speedsKmh; self.snapToleranceM = snapToleranceM; self.minWidthM = minWidthM
        self.maxSnapDistanceM = maxSnapDistanceM; self.kerbPenaltyS = kerbPenaltyS
    }

    /// Speed on a road class in m/s.
    func speed(_ roadClass: String) -> Double {
        (speedsKmh[roadClass] ?? speedsKmh["default"] ?? 20) / 3.6
    }
}

/// Why a ledger segment is not part of the truck's graph.
public enum SegmentExclusion: Sendable, Hashable, CustomStringConvertible {
    case tooNarrow(id: String, widthM: Double, minimumM: Double)
    case degenerate(id: String)

    public var description: String {
        switch self {
        case .tooNarrow(let id, let w, let m): "segment \(id): \(w) m wide, the truck needs \(m) m"
        case .degenerate(let id): "segment \(id): fewer than two distinct vertices"
        }
    }
}

/// The truck's road graph in compressed sparse row (CSR) form: nodes where segment ends meet, one arc per
/// direction a segment may be driven, with length and travel time.
public struct RoadGraph: Sendable {
    /// Node positions.
    public let nodes: [Coordinate]
    /// CSR row starts: arcs leaving node `v` are `offsets[v] ..< offsets[v + 1]`.
    public let offsets: [Int32]
    /// Arc head nodes.
    public let heads: [Int32]
    /// Arc travel times (s).
    public let arcTime: [Double]
    /// Arc lengths (m).
    public let arcLength: [Double]
    /// The usable segment each arc runs along.
    public let arcSegment: [Int32]
    /// True when the arc follows the segment's digitised direction.
    public let arcForward: [Bool]
    /// Usable segments (the truck's), in input order.
    public let segments: [RoadSegment]
    /// Node at each usable segment's first and last vertex.
    public let segmentFrom: [Int32], segmentTo: [Int32]
    /// Length (m) and speed (m/s) of each usable segment.
    public let segmentLength: [Double], segmentSpeed: [Double]
    /// Segments left out, with the reason.
    public let excluded: [SegmentExclusion]
    /// Weakly connected component of each node; component 0 is the largest.
    public let component: [Int32]
    /// Node count per component, largest first.
    public let componentSizes: [Int]

    /// Number of nodes.
    public var nodeCount: Int { nodes.count }
    /// Number of arcs.
    public var arcCount: Int { heads.count }

    /// Builds the graph: joins segment ends within the snap tolerance (grid hash), drops segments narrower than
    /// the truck needs, adds arcs per allowed direction and labels components.
    public init(segments input: [RoadSegment], profile: GraphProfile) {
        var excluded: [SegmentExclusion] = []
        var usable: [RoadSegment] = []
        for s in input {
            if let w = s.widthM, w < profile.minWidthM {
                excluded.append(.tooNarrow(id: s.id, widthM: w, minimumM: profile.minWidthM)); continue
            }
            guard s.points.count >= 2, s.length > 0 else { excluded.append(.degenerate(id: s.id)); continue }
            usable.append(s)
        }
        let tol = max(profile.snapToleranceM, 1e-6)
        var grid: [GridKey: [Int32]] = [:]
        var nodes: [Coordinate] = []
        func node(at c: Coordinate) -> Int32 {
            let k = GridKey(c, cell: tol)
            var best: (Double, Int32)?
            for dx in -1...1 { for dy in -1...1 {
                for n in grid[GridKey(x: k.x + dx, y: k.y + dy)] ?? [] {
                    let d = hypot(nodes[Int(n)].x - c.x, nodes[Int(n)].y - c.y)
                    if d <= tol, d < (best?.0 ?? .infinity) { best = (d, n) }
                }
            } }
            if let best { return best.1 }
            let n = Int32(nodes.count)
            nodes.append(c)
            grid[k, default: []].append(n)
            return n
        }
        var from: [Int32] = [], to: [Int32] = [], lengths: [Double] = [], speeds: [Double] = []
        for s in usable {
            from.append(node(at: s.points[0])); to.append(node(at: s.points[s.points.count - 1]))
            lengths.append(s.length); speeds.append(profile.speed(s.roadClass))
        }
        // Arcs: (tail, head, segment, forward), bucketed by tail.
        var degree = [Int32](repeating: 0, count: nodes.count + 1)
        for (i, s) in usable.enumerated() {
            if s.oneWay >= 0 { degree[Int(from[i])] += 1 }
            if s.oneWay <= 0 { degree[Int(to[i])] += 1 }
        }
        var offsets = [Int32](repeating: 0, count: nodes.count + 1)
        for v in 0..<nodes.count { offsets[v + 1] = offsets[v] + degree[v] }
        let m = Int(offsets[nodes.count])
        var heads = [Int32](repeating: 0, count: m), segOf = [Int32](repeating: 0, count: m)
        var forward = [Bool](repeating: true, count: m)
        var arcTime = [Double](repeating: 0, count: m), arcLength = [Double](repeating: 0, count: m)
        var fill = Array(offsets.dropLast())
        func add(_ tail: Int32, _ head: Int32, _ seg: Int, _ fwd: Bool) {
            let a = Int(fill[Int(tail)]); fill[Int(tail)] += 1
            heads[a] = head; segOf[a] = Int32(seg); forward[a] = fwd
            arcLength[a] = lengths[seg]; arcTime[a] = lengths[seg] / speeds[seg]
        }
        for (i, s) in usable.enumerated() {
            if s.oneWay >= 0 { add(from[i], to[i], i, true) }
            if s.oneWay <= 0 { add(to[i], from[i], i, false) }
        }
        // Weakly connected components (union-find over segments), relabelled largest first.
        var parent = (0..<Int32(nodes.count)).map { $0 }
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        for i in usable.indices {
            let a = find(from[i]), b = find(to[i])
            if a != b { parent[Int(max(a, b))] = min(a, b) }
        }
        var sizes: [Int32: Int] = [:]
        let roots = (0..<Int32(nodes.count)).map { find($0) }
        for r in roots { sizes[r, default: 0] += 1 }
        let order = sizes.sorted { ($0.value, -$0.key) > ($1.value, -$1.key) }
        var label: [Int32: Int32] = [:]
        for (k, entry) in order.enumerated() { label[entry.key] = Int32(k) }
        self.nodes = nodes; self.offsets = offsets; self.heads = heads; self.arcTime = arcTime
        self.arcLength = arcLength; self.arcSegment = segOf; self.arcForward = forward; self.segments = usable
        self.segmentFrom = from; self.segmentTo = to; self.segmentLength = lengths; self.segmentSpeed = speeds
        self.excluded = excluded
        self.component = roots.map { label[$0]! }
        self.componentSizes = order.map(\.value)
    }

    /// One line per fact: nodes, arcs, excluded segments, components and how many nodes lie outside the largest.
    public var report: String {
        let outside = componentSizes.dropFirst().reduce(0, +)
        var lines = ["road graph: \(nodeCount) nodes, \(arcCount) arcs from \(segments.count) segments; \(excluded.count) segments excluded",
                     "components: \(componentSizes.count) (largest \(componentSizes.first ?? 0) nodes; \(outside) nodes unreachable from it)"]
        lines += excluded.prefix(10).map { "  excluded: \($0)" }
        if excluded.count > 10 { lines.append("  … and \(excluded.count - 10) more excluded") }
        return lines.joined(separator: "\n")
    }

    /// Coordinates of a segment between two positions along it (m from its start); reversed when `to < from`.
    public func slice(segment s: Int, from a: Double, to b: Double) -> [Coordinate] {
        let pts = segments[s].points
        let lo = min(a, b), hi = max(a, b)
        var out: [Coordinate] = []
        var walked = 0.0
        for k in 0..<(pts.count - 1) {
            let p = pts[k], q = pts[k + 1]
            let len = hypot(q.x - p.x, q.y - p.y)
            let start = walked, end = walked + len
            walked = end
            guard end >= lo, start <= hi, len > 0 else { continue }
            func at(_ d: Double) -> Coordinate {
                let t = min(1, max(0, (d - start) / len))
                return Coordinate(x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t)
            }
            if out.isEmpty { out.append(at(max(lo, start))) }
            out.append(at(min(hi, end)))
        }
        return b < a ? out.reversed() : out
    }
}

/// A cell of a square grid hash.
struct GridKey: Hashable {
    var x: Int, y: Int
    init(x: Int, y: Int) { self.x = x; self.y = y }
    init(_ c: Coordinate, cell: Double) { x = Int((c.x / cell).rounded(.down)); y = Int((c.y / cell).rounded(.down)) }
}
