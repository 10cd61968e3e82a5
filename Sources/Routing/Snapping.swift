import Foundation
import GeoCore

/// Which side of a segment's digitised direction a point lies on.
public enum RoadSide: Sendable, Hashable {
    case left, right
}

/// A place snapped onto the road graph: a usable segment, the position along it and how far it was moved.
public struct SnappedPoint: Sendable, Hashable {
    /// Index into `RoadGraph.segments`.
    public var segment: Int
    /// Metres from the segment's first vertex to the snapped position.
    public var offset: Double
    /// Metres from the original point to the road.
    public var distance: Double
    /// The position on the centreline.
    public var position: Coordinate
    /// Side of the point relative to the segment's digitised direction; with left-hand traffic a truck
    /// driving that way has a `left` point on its kerb.
    public var side: RoadSide
}

/// The outcome of snapping one point.
public enum SnapResult: Sendable, Hashable {
    case snapped(SnappedPoint)
    /// No usable road within the limit; `nearest` is the distance to the nearest one searched, if any.
    case tooFar(nearest: Double?)

    /// The snapped point, or nil when too far.
    public var point: SnappedPoint? { if case .snapped(let p) = self { p } else { nil } }
}

/// Finds the nearest usable road for points: a grid hash over segment pieces, searched within the limit.
public struct RoadSnapper: Sendable {
    let graph: RoadGraph
    let cell: Double
    let limit: Double
    let grid: [GridKey: [Int32]]
    let pieceSegment: [Int32], pieceVertex: [Int32], pieceStart: [Double]

    /// Indexes the graph's segments for snapping within `maxDistance` metres.
    public init(graph: RoadGraph, maxDistance: Double) {
        self.graph = graph
        limit = maxDistance
        cell = max(maxDistance, 25)
        var grid: [GridKey: [Int32]] = [:]
        var seg: [Int32] = [], vtx: [Int32] = [], start: [Double] = []
        for (s, segment) in graph.segments.enumerated() {
            var walked = 0.0
            for k in 0..<(segment.points.count - 1) {
                let p = segment.points[k], q = segment.points[k + 1]
                let id = Int32(seg.count)
                seg.append(Int32(s)); vtx.append(Int32(k)); start.append(walked)
                walked += hypot(q.x - p.x, q.y - p.y)
                let a = GridKey(Coordinate(x: min(p.x, q.x), y: min(p.y, q.y)), cell: cell)
                let b = GridKey(Coordinate(x: max(p.x, q.x), y: max(p.y, q.y)), cell: cell)
                for x in a.x...b.x { for y in a.y...b.y { grid[GridKey(x: x, y: y), default: []].append(id) } }
            }
        }
        self.grid = grid; pieceSegment = seg; pieceVertex = vtx; pieceStart = start
    }

    /// Snaps one point to the nearest piece of usable road within the limit.
    public func snap(_ c: Coordinate) -> SnapResult {
        let k = GridKey(c, cell: cell)
        var best: (d: Double, piece: Int32, t: Double)?
        for dx in -1...1 { for dy in -1...1 {
            for piece in grid[GridKey(x: k.x + dx, y: k.y + dy)] ?? [] {
                let s = graph.segments[Int(pieceSegment[Int(piece)])]
                let p = s.points[Int(pieceVertex[Int(piece)])], q = s.points[Int(pieceVertex[Int(piece)]) + 1]
                let vx = q.x - p.x, vy = q.y - p.y
                let len2 = vx * vx + vy * vy
                let t = len2 > 0 ? min(1, max(0, ((c.x - p.x) * vx + (c.y - p.y) * vy) / len2)) : 0
                let d = hypot(p.x + vx * t - c.x, p.y + vy * t - c.y)
                // Ties go to the lower piece id so results do not depend on hash order.
                if best == nil || d < best!.d || (d == best!.d && piece < best!.piece) { best = (d, piece, t) }
            }
        } }
        guard let best, best.d <= limit else { return .tooFar(nearest: best?.d) }
        let s = Int(pieceSegment[Int(best.piece)])
        let v = Int(pieceVertex[Int(best.piece)])
        let pts = graph.segments[s].points
        let p = pts[v], q = pts[v + 1]
        let len = hypot(q.x - p.x, q.y - p.y)
        let position = Coordinate(x: p.x + (q.x - p.x) * best.t, y: p.y + (q.y - p.y) * best.t)
        let cross = (q.x - p.x) * (c.y - p.y) - (q.y - p.y) * (c.x - p.x)
        return .snapped(SnappedPoint(segment: s, offset: min(graph.segmentLength[s], pieceStart[Int(best.piece)] + len * best.t),
                                     distance: best.d, position: position, side: cross >= 0 ? .left : .right))
    }
}
