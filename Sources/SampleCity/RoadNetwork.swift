import Foundation
import GeoCore

/// A road segment of the generated town: between two intersections (or a dead end), in EPSG:6677.
struct RoadEdge: Sendable {
    var a: Int, b: Int
    /// Intermediate vertices (curves), from a to b.
    var bends: [Coordinate] = []
    var arterial = 0          // 0 residential, 1 = 1級, 2 = 2級
    var route = ""
    var routeName = ""
    var width = 5.0
}

/// Generates an irregular, connected street network inside a boundary: Poisson-disk intersections
/// whose spacing follows the distance to the town centres, a planar greedy graph over them, thinned
/// into irregular blocks (a spanning tree is always kept, so the network stays connected), plus
/// cul-de-sacs, curved streets and arterial routes found as shortest paths across town.
struct RoadNetworkGenerator {
    let boundary: PreparedGeometry
    let box: BoundingBox
    let centres: [Coordinate]
    var rng: SeededRandom

    /// Spacing between intersections at a point: ~40 m at the centres, ~170 m at the edges.
    func spacing(_ c: Coordinate) -> Double {
        let d = centres.map { hypot($0.x - c.x, $0.y - c.y) }.min() ?? 0
        // The hilly west and north-west (大山 side) are sparse.
        let west = max(0, (box.minX + box.width * 0.45 - c.x) / box.width) + max(0, (c.y - (box.minY + box.height * 0.7)) / box.height)
        return min(420, 38 + d * 0.03 + west * 700)
    }

    func inside(_ c: Coordinate) -> Bool { (try? boundary.contains(c)) ?? false }

    mutating func generate(targetSegments: Int) -> (nodes: [Coordinate], edges: [RoadEdge]) {
        // 1. Poisson-disk sampling with variable radius (dart throwing on a hash grid).
        let cell = 40.0
        var grid: [Int64: [Int]] = [:]
        func key(_ x: Int, _ y: Int) -> Int64 { Int64(x) << 32 | Int64(UInt32(bitPattern: Int32(y))) }
        func cellOf(_ c: Coordinate) -> (Int, Int) { (Int(floor((c.x - box.minX) / cell)), Int(floor((c.y - box.minY) / cell))) }
        var nodes: [Coordinate] = []
        let attempts = Int(box.width * box.height / 700)
        for _ in 0..<attempts {
            let c = Coordinate(x: rng.range(box.minX, box.maxX), y: rng.range(box.minY, box.maxY))
            let r = spacing(c)
            let (cx, cy) = cellOf(c)
            let reach = Int(ceil(r / cell))
            var ok = true
            search: for dx in -reach...reach { for dy in -reach...reach {
                for j in grid[key(cx + dx, cy + dy)] ?? [] where hypot(nodes[j].x - c.x, nodes[j].y - c.y) < r * 0.8 { ok = false; break search }
            } }
            guard ok, inside(c) else { continue }
            grid[key(cx, cy), default: []].append(nodes.count)
            nodes.append(c)
        }
        // 2. Candidate edges to near neighbours, added shortest first unless they cross (planar).
        var candidates: [(Double, Int, Int)] = []
        for (i, c) in nodes.enumerated() {
            let (cx, cy) = cellOf(c)
            let r = spacing(c) * 2.6
            let reach = Int(ceil(r / cell))
            var near: [(Double, Int)] = []
            for dx in -reach...reach { for dy in -reach...reach {
                for j in grid[key(cx + dx, cy + dy)] ?? [] where j > i {
                    let d = hypot(nodes[j].x - c.x, nodes[j].y - c.y)
                    if d < r { near.append((d, j)) }
                }
            } }
            for (d, j) in near.sorted(by: { $0.0 < $1.0 }).prefix(6) { candidates.append((d, i, j)) }
        }
        candidates.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var edges: [(Int, Int)] = []
        var segGrid: [Int64: [Int]] = [:]
        let sc = 120.0
        func segCells(_ a: Coordinate, _ b: Coordinate) -> [Int64] {
            let x0 = Int(floor((min(a.x, b.x) - box.minX) / sc)), x1 = Int(floor((max(a.x, b.x) - box.minX) / sc))
            let y0 = Int(floor((min(a.y, b.y) - box.minY) / sc)), y1 = Int(floor((max(a.y, b.y) - box.minY) / sc))
            var out: [Int64] = []
            for x in x0...x1 { for y in y0...y1 { out.append(key(x, y)) } }
            return out
        }
        for (_, i, j) in candidates {
            let a = nodes[i], b = nodes[j]
            guard [0.25, 0.5, 0.75].allSatisfy({ t in inside(Coordinate(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)) }) else { continue }
            var crosses = false
            let cells = segCells(a, b)
            check: for k in cells { for e in segGrid[k] ?? [] {
                let (p, q) = edges[e]
                if p == i || p == j || q == i || q == j { continue }
                if Self.segmentsCross(a, b, nodes[p], nodes[q]) { crosses = true; break check }
            } }
            if crosses { continue }
            // No sliver angles: skip an edge almost parallel to an existing one at a shared node.
            for k in cells { for e in segGrid[k] ?? [] where Self.tooSharp(edges[e], i, j, nodes) { crosses = true } }
            if crosses { continue }
            for k in cells { segGrid[k, default: []].append(edges.count) }
            edges.append((i, j))
        }
        // 3. Keep the largest connected component.
        var uf = UnionFind(nodes.count)
        for (a, b) in edges { uf.union(a, b) }
        var sizes: [Int: Int] = [:]
        for i in 0..<nodes.count { sizes[uf.find(i), default: 0] += 1 }
        let main = sizes.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
        edges = edges.filter { uf.find($0.0) == main }
        // 4. Thin to irregular blocks: a random spanning tree is always kept; other edges are
        //    dropped until the network has about the target number of segments.
        var order = Array(edges.indices)
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
        var tree = UnionFind(nodes.count)
        var keep = [Bool](repeating: false, count: edges.count)
        var extra: [Int] = []
        for e in order {
            if tree.union(edges[e].0, edges[e].1) { keep[e] = true } else { extra.append(e) }
        }
        let treeCount = keep.filter { $0 }.count
        let deadEnds = targetSegments / 25
        var wantExtra = max(0, targetSegments - treeCount - deadEnds)
        // Streets enclose blocks, not triangles: first add edges that close no triangle.
        var neighbours = [Set<Int>](repeating: [], count: nodes.count)
        for e in edges.indices where keep[e] { neighbours[edges[e].0].insert(edges[e].1); neighbours[edges[e].1].insert(edges[e].0) }
        for pass in 0..<2 {
            for e in extra where wantExtra > 0 && !keep[e] {
                let (a, b) = edges[e]
                if pass == 0 && !neighbours[a].isDisjoint(with: neighbours[b]) { continue }
                keep[e] = true
                neighbours[a].insert(b); neighbours[b].insert(a)
                wantExtra -= 1
            }
        }
        var result: [RoadEdge] = edges.indices.filter { keep[$0] }.map { RoadEdge(a: edges[$0].0, b: edges[$0].1) }
        // 5. Cul-de-sacs: short spurs from residential nodes.
        var degree = [Int](repeating: 0, count: nodes.count)
        for e in result { degree[e.a] += 1; degree[e.b] += 1 }
        var added = 0
        var tries = 0
        while added < deadEnds && tries < deadEnds * 20 {
            tries += 1
            let i = Int(rng.next() % UInt64(nodes.count))
            guard degree[i] > 0 else { continue }
            let angle = rng.range(0, 2 * .pi), len = rng.range(25, 70)
            let c = Coordinate(x: nodes[i].x + cos(angle) * len, y: nodes[i].y + sin(angle) * len)
            guard inside(c), inside(Coordinate(x: (nodes[i].x + c.x) / 2, y: (nodes[i].y + c.y) / 2)) else { continue }
            var crosses = false
            for k in segCells(nodes[i], c) { for e in segGrid[k] ?? [] {
                let (p, q) = edges[e]
                if p == i || q == i { continue }
                if Self.segmentsCross(nodes[i], c, nodes[p], nodes[q]) { crosses = true }
            } }
            if crosses { continue }
            nodes.append(c)
            degree.append(1)
            result.append(RoadEdge(a: i, b: nodes.count - 1))
            added += 1
        }
        // 6. Curves: gentle bends on a third of the residential streets.
        for k in result.indices where rng.chance(0.33) {
            let a = nodes[result[k].a], b = nodes[result[k].b]
            let len = hypot(b.x - a.x, b.y - a.y)
            guard len > 40 else { continue }
            let n = rng.int(1, 3)
            let off = rng.range(-0.06, 0.06) * len
            let (nx, ny) = (-(b.y - a.y) / len, (b.x - a.x) / len)
            let bends = (1...n).map { s in
                let t = Double(s) / Double(n + 1)
                let bulge = off * sin(.pi * t)
                return Coordinate(x: a.x + (b.x - a.x) * t + nx * bulge, y: a.y + (b.y - a.y) * t + ny * bulge)
            }
            if bends.allSatisfy(inside) { result[k].bends = bends }
        }
        return (nodes, result)
    }

    static func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    static func segmentsCross(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate, _ d: Coordinate) -> Bool {
        let d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }

    /// True when edge (i, j) would leave a shared node within 20° of existing edge `e`.
    static func tooSharp(_ e: (Int, Int), _ i: Int, _ j: Int, _ nodes: [Coordinate]) -> Bool {
        let shared: Int, other: Int, mine: Int
        if e.0 == i || e.1 == i { shared = i; other = e.0 == i ? e.1 : e.0; mine = j }
        else if e.0 == j || e.1 == j { shared = j; other = e.0 == j ? e.1 : e.0; mine = i }
        else { return false }
        let s = nodes[shared]
        let a1 = atan2(nodes[other].y - s.y, nodes[other].x - s.x), a2 = atan2(nodes[mine].y - s.y, nodes[mine].x - s.x)
        var d = abs(a1 - a2).truncatingRemainder(dividingBy: 2 * .pi)
        if d > .pi { d = 2 * .pi - d }
        return d < 20 * .pi / 180
    }
}

/// Disjoint sets with path halving.
struct UnionFind {
    var parent: [Int]
    init(_ n: Int) { parent = Array(0..<n) }
    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }
    @discardableResult mutating func union(_ a: Int, _ b: Int) -> Bool {
        let ra = find(a), rb = find(b)
        if ra == rb { return false }
        parent[max(ra, rb)] = min(ra, rb)
        return true
    }
    mutating func grow(to n: Int) { while parent.count < n { parent.append(parent.count) } }
}
