/// Granular local search over trips (Toth & Vigo's granular neighbourhoods, as in Vidal's HGS): for each client u
/// and each of its close clients v, try relocate (segments of 1–3, or-opt, also reversed), swap (1–1, 2–1, 2–2),
/// 2-opt inside a route and 2-opt* (both variants) between routes; apply the first improving move. Routes are
/// doubly-linked lists over flat buffers with prefix/suffix time-window segments, so every move costs O(1)
/// (intra-route moves O(route length)) and nothing is allocated while searching.
///
/// `run` examines every client; `perturbAndImprove` (the iterated local search's step, as in PyVRP 0.14) removes a
/// few neighbouring clients, reinserts them, and examines only "promising" clients: those it moved and the ones
/// beside them, a set that grows with every applied move. On a large instance that costs microseconds, not seconds.
final class LocalSearch {
    let data: SolverData
    let clients: Int
    let routeCount: Int
    private let nodeCount: Int
    private let next: UnsafeMutablePointer<Int32>
    private let prev: UnsafeMutablePointer<Int32>
    private let routeOf: UnsafeMutablePointer<Int32>
    private let position: UnsafeMutablePointer<Int32>
    private let segment: UnsafeMutablePointer<TimeSegment>
    private let forward: UnsafeMutablePointer<TimeSegment>
    private let backward: UnsafeMutablePointer<TimeSegment>
    private let lastTested: UnsafeMutablePointer<Int>
    private let routeCost: UnsafeMutablePointer<Double>
    private let routeModified: UnsafeMutablePointer<Int>
    /// Clients the search examines as u; all of them in `run`, those near the changes in `perturbAndImprove`.
    private let promising: UnsafeMutablePointer<Bool>
    /// Clients taken out by the perturbation and not yet reinserted.
    private let detached: UnsafeMutablePointer<Bool>
    private var removed: [Int32] = []
    /// Arc cost from each routed node to its successor, and for each client x the cost of the arc that would bridge
    /// the 1, 2 or 3 clients starting at x (prev(x) → the node after them): kept by `update`, so move bounds read
    /// the arcs a move removes from small arrays instead of the matrix (three-quarters of the search's time went to
    /// matrix cache misses on large instances).
    private let outArc: UnsafeMutablePointer<Double>
    private let bridge: UnsafeMutablePointer<Double>
    /// Arc costs are never negative, so a partial bound already ≥ 0 rejects a move before its last arcs are read.
    private let earlyExit: Bool
    private var order: [Int32]
    private var neighbourOrder: [[Int32]]
    /// Each client's neighbours, closest first: the perturbation removes a compact group around a client.
    private let closest: [[Int32]]
    private var scratch: [Int32] = []
    private var scratch2: [Int32] = []
    private var scratch3: [Int32] = []
    private var penalties = Penalties(capacity: 1, time: 1)
    /// Penalties the linked routes were costed under; nil before the first load.
    private var loadedPenalties: Penalties?
    /// Whether `load` keeps routes it already holds (false recomputes all: the reference the tests compare with).
    var reusesUnchangedRoutes = true
    private var moveCount = 0
    private static let epsilon = -1e-7
    /// Without time windows, arc-cost deltas plus exact load penalties bound every move's delta from below, so most
    /// moves are rejected in O(1) before their segments are concatenated.
    private let prune: Bool
    private let symmetric: Bool
    private let side: Int

    init(data: SolverData) {
        self.data = data
        clients = data.clientCount
        routeCount = data.maxRoutes
        nodeCount = clients + 1 + 2 * routeCount
        prune = !data.hasTimeWindows
        symmetric = data.isSymmetric
        side = data.side
        next = .allocate(capacity: nodeCount)
        prev = .allocate(capacity: nodeCount)
        routeOf = .allocate(capacity: nodeCount)
        position = .allocate(capacity: nodeCount)
        segment = .allocate(capacity: nodeCount)
        forward = .allocate(capacity: nodeCount)
        backward = .allocate(capacity: nodeCount)
        lastTested = .allocate(capacity: nodeCount)
        routeCost = .allocate(capacity: routeCount)
        routeModified = .allocate(capacity: routeCount)
        promising = .allocate(capacity: nodeCount)
        promising.initialize(repeating: true, count: nodeCount)
        detached = .allocate(capacity: nodeCount)
        detached.initialize(repeating: false, count: nodeCount)
        outArc = .allocate(capacity: nodeCount)
        outArc.initialize(repeating: 0, count: nodeCount)
        bridge = .allocate(capacity: 3 * nodeCount)
        bridge.initialize(repeating: 0, count: 3 * nodeCount)
        earlyExit = data.arcsAreNonNegative
        for i in 0..<nodeCount {
            segment[i] = i == 0 ? data.clientSegment[0]
                : i <= clients ? data.clientSegment[i]
                : i <= clients + routeCount ? data.startSegment : data.endSegment
            next[i] = 0; prev[i] = 0; routeOf[i] = 0; position[i] = 0
            forward[i] = segment[i]; backward[i] = segment[i]
        }
        order = (0..<clients).map { Int32($0 + 1) }
        neighbourOrder = data.neighbours
        closest = data.neighbours.indices.map { i in
            data.neighbours[i].sorted { a, b in
                let ca = min(data.arc[i * data.side + Int(a)], data.arc[Int(a) * data.side + i])
                let cb = min(data.arc[i * data.side + Int(b)], data.arc[Int(b) * data.side + i])
                return ca < cb || (ca == cb && a < b)
            }
        }
        scratch.reserveCapacity(clients + 2)
        scratch2.reserveCapacity(clients + 2)
        scratch3.reserveCapacity(clients + 2)
    }

    deinit {
        next.deallocate(); prev.deallocate(); routeOf.deallocate(); position.deallocate()
        segment.deallocate(); forward.deallocate(); backward.deallocate(); lastTested.deallocate()
        routeCost.deallocate(); routeModified.deallocate(); promising.deallocate(); detached.deallocate()
        outArc.deallocate(); bridge.deallocate()
    }

    @inline(__always) private func startDepot(_ r: Int) -> Int32 { Int32(clients + 1 + r) }
    @inline(__always) private func endDepot(_ r: Int) -> Int32 { Int32(clients + 1 + routeCount + r) }
    @inline(__always) private func isDepot(_ x: Int32) -> Bool { Int(x) > clients }
    @inline(__always) private func isStartDepot(_ x: Int32) -> Bool { Int(x) > clients && Int(x) <= clients + routeCount }

    /// Improves `routes` (at most `routeCount` of them) until no move of the neighbourhood improves the penalised cost.
    func run(_ routes: [[Int32]], penalties: Penalties, rng: inout SeededRandom) -> [[Int32]] {
        self.penalties = penalties
        load(routes)
        promising.update(repeating: true, count: nodeCount)
        rng.shuffle(&order)
        for i in 1..<neighbourOrder.count where neighbourOrder[i].count > 1 { rng.shuffle(&neighbourOrder[i]) }
        search()
        return export()
    }

    /// One step of the iterated local search: removes `count` clients (a random client and its neighbours, then
    /// another's), puts each back where it costs least next to one of its neighbours, and improves the result,
    /// examining only the clients near what changed.
    func perturbAndImprove(_ routes: [[Int32]], count: Int, penalties: Penalties,
                           rng: inout SeededRandom) -> [[Int32]] {
        self.penalties = penalties
        load(routes)
        promising.update(repeating: false, count: nodeCount)
        rng.shuffle(&order)
        perturb(count)
        search()
        return export()
    }

    /// Passes over the promising clients in `order` until none of their moves improves; a pair (u, v) is tried
    /// again only when one of its two routes changed since u was last examined.
    private func search() {
        var loop = 0
        var improved = true
        while improved {
            improved = false
            for u in order where promising[Int(u)] {
                let lastTestU = lastTested[Int(u)]
                lastTested[Int(u)] = moveCount
                let neighbourCount = neighbourOrder[Int(u)].count
                var k = 0
                while k < neighbourCount {
                    let v = neighbourOrder[Int(u)][k]
                    k += 1
                    if loop > 0 && max(routeModified[Int(routeOf[Int(u)])], routeModified[Int(routeOf[Int(v)])]) <= lastTestU {
                        continue
                    }
                    if tryMoves(u, v) {
                        improved = true
                        markPromising(around: u)
                        markPromising(around: v)
                        continue
                    }
                    if isStartDepot(prev[Int(v)]) && tryDepotMoves(u, prev[Int(v)]) {
                        improved = true
                        markPromising(around: u)
                    }
                }
                if loop > 0, let empty = firstEmptyRoute(), tryDepotMoves(u, startDepot(empty)) {
                    improved = true
                    markPromising(around: u)
                }
            }
            loop += 1
        }
    }

    /// Marks x and the clients before and after it.
    @inline(__always) private func markPromising(around x: Int32) {
        if !isDepot(x) { promising[Int(x)] = true }
        let p = prev[Int(x)], n = next[Int(x)]
        if p >= 0 && !isDepot(p) { promising[Int(p)] = true }
        if n >= 0 && !isDepot(n) { promising[Int(n)] = true }
    }

    // MARK: Perturbation

    private func perturb(_ count: Int) {
        removed.removeAll(keepingCapacity: true)
        let target = min(count, clients)
        outer: for u in order {
            if removed.count >= target { break }
            detach(u)
            for v in closest[Int(u)] {
                if removed.count >= target { break outer }
                detach(v)
            }
        }
        // Each route that lost clients is recomputed once, before the reinsertions read its segments.
        moveCount += 1
        for x in removed where routeModified[Int(routeOf[Int(x)])] != moveCount { update(Int(routeOf[Int(x)])) }
        for x in removed { reinsert(x) }
    }

    /// Takes client x out of its route (no-op when already out), marking it and its former neighbours; the route's
    /// segments are left for `perturb` to recompute.
    private func detach(_ x: Int32) {
        if detached[Int(x)] { return }
        markPromising(around: x)
        detached[Int(x)] = true
        removed.append(x)
        unlink(x, x)
    }

    /// Inserts a detached client where it costs least: after one of its neighbours still in a route, before the
    /// first client of such a neighbour's route, or alone in an empty route; after some route's start when all
    /// of its neighbours are detached too.
    private func reinsert(_ x: Int32) {
        var best: Int32 = -1
        var bestDelta = Double.infinity
        func consider(after w: Int32) {
            let r = Int(routeOf[Int(w)])
            let s = data.join(data.join(forward[Int(w)], segment[Int(x)]), backward[Int(next[Int(w)])])
            let delta = cost(s) - routeCost[r]
            if delta < bestDelta { bestDelta = delta; best = w }
        }
        for w in neighbourOrder[Int(x)] where !detached[Int(w)] {
            consider(after: w)
            if isStartDepot(prev[Int(w)]) { consider(after: prev[Int(w)]) }
        }
        if let empty = firstEmptyRoute() { consider(after: startDepot(empty)) }
        if best < 0 {
            for r in 0..<routeCount { consider(after: startDepot(r)) }
        }
        insert(x, after: best)
        detached[Int(x)] = false
        moveCount += 1
        update(Int(routeOf[Int(best)]))
        markPromising(around: x)
    }

    /// Links `routes` into the search. A route the search already holds as it is keeps its segments and cached
    /// arcs (under unchanged penalties): an iterated-search step changes a few routes of dozens, and recomputing
    /// all of them was a fifth of its time on a thousand clients.
    private func load(_ routes: [[Int32]]) {
        precondition(routes.count <= routeCount, "more routes than the search holds")
        moveCount = 0
        for i in 0..<nodeCount { lastTested[i] = -1 }
        let reuse = reusesUnchangedRoutes && loadedPenalties == penalties
        for r in 0..<routeCount {
            let clients = r < routes.count ? routes[r] : []
            routeModified[r] = 0
            if reuse && holds(r, clients) { continue }
            var last = startDepot(r)
            for c in clients {
                next[Int(last)] = c
                prev[Int(c)] = last
                last = c
            }
            next[Int(last)] = endDepot(r)
            prev[Int(endDepot(r))] = last
            prev[Int(startDepot(r))] = -1
            next[Int(endDepot(r))] = -1
            update(r)
            routeModified[r] = 0
        }
        loadedPenalties = penalties
    }

    /// True when route r is linked as exactly `clients` (the walk stops after that many steps, whatever it meets).
    private func holds(_ r: Int, _ clients: [Int32]) -> Bool {
        var x = next[Int(startDepot(r))]
        for c in clients {
            if x != c { return false }
            x = next[Int(x)]
        }
        return x == endDepot(r)
    }

    private func export() -> [[Int32]] {
        var result: [[Int32]] = []
        for r in 0..<routeCount {
            var route: [Int32] = []
            var x = next[Int(startDepot(r))]
            while !isDepot(x) { route.append(x); x = next[Int(x)] }
            if !route.isEmpty { result.append(route) }
        }
        return result
    }

    private func firstEmptyRoute() -> Int? {
        for r in 0..<routeCount where isDepot(next[Int(startDepot(r))]) { return r }
        return nil
    }

    /// Recomputes positions and prefix/suffix segments of route r.
    private func update(_ r: Int) {
        var x = startDepot(r)
        let end = endDepot(r)
        position[Int(x)] = 0
        routeOf[Int(x)] = Int32(r)
        forward[Int(x)] = segment[Int(x)]
        while x != end {
            let y = next[Int(x)]
            position[Int(y)] = position[Int(x)] + 1
            routeOf[Int(y)] = Int32(r)
            forward[Int(y)] = data.join(forward[Int(x)], segment[Int(y)])
            x = y
        }
        backward[Int(end)] = segment[Int(end)]
        let start = startDepot(r)
        while x != start {
            let y = prev[Int(x)]
            backward[Int(y)] = data.join(segment[Int(y)], backward[Int(x)])
            outArc[Int(y)] = c(y, x)
            if !isDepot(y) {
                // x is the node after y; bridges over y, y…next(y), y…next(next(y)) while those are clients.
                let p = prev[Int(y)]
                bridge[Int(y)] = c(p, x)
                if !isDepot(x) {
                    let x2 = next[Int(x)]
                    bridge[nodeCount + Int(y)] = c(p, x2)
                    if !isDepot(x2) { bridge[2 * nodeCount + Int(y)] = c(p, next[Int(x2)]) }
                }
            }
            x = y
        }
        routeCost[r] = data.cost(forward[Int(end)], penalties)
        routeModified[r] = moveCount
    }

    // MARK: Segments

    /// Visits a…b in route order (a at or before b in the same route).
    @inline(__always) private func between(_ a: Int32, _ b: Int32) -> TimeSegment {
        var s = segment[Int(a)]
        var x = a
        while x != b { x = next[Int(x)]; s = data.join(s, segment[Int(x)]) }
        return s
    }

    /// Visits b…a in reverse route order (a at or before b in the same route).
    @inline(__always) private func reversed(_ a: Int32, _ b: Int32) -> TimeSegment {
        var s = segment[Int(b)]
        var x = b
        while x != a { x = prev[Int(x)]; s = data.join(s, segment[Int(x)]) }
        return s
    }

    @inline(__always) private func cost(_ s: TimeSegment) -> Double { data.cost(s, penalties) }

    /// Weighted arc cost between two nodes (a start depot leaves the trip start, an end depot is the facility).
    @inline(__always) private func c(_ a: Int32, _ b: Int32) -> Double {
        let i = Int(a) > clients ? 0 : Int(a)
        let j = Int(b) > clients ? 0 : Int(b)
        return data.arc[i * side + j]
    }

    @inline(__always) private func route(_ r: Int) -> TimeSegment { forward[Int(endDepot(r))] }

    /// Change of the load penalty when routes U and V go from loads (lu, lv) to (nu, nv), minus all time warp
    /// they may lose: the non-arc part of a lower bound on a move's delta.
    @inline(__always) private func penaltyBound(_ ru: Int, _ rv: Int, newU: Double, newV: Double) -> Double {
        let q = data.capacity
        let a = route(ru), b = route(rv)
        return penalties.capacity * (max(0, newU - q) + max(0, newV - q) - max(0, a.load - q) - max(0, b.load - q))
            - penalties.time * (a.timeWarp + b.timeWarp)
    }

    @inline(__always) private func load(_ a: Int32, _ b: Int32) -> Double {
        var total = segment[Int(a)].load
        var x = a
        while x != b { x = next[Int(x)]; total += segment[Int(x)].load }
        return total
    }

    // MARK: Move driver

    private func tryMoves(_ u: Int32, _ v: Int32) -> Bool {
        if relocate(u, length: 1, reversed: false, after: v) { return true }
        if relocate(u, length: 2, reversed: false, after: v) { return true }
        if relocate(u, length: 2, reversed: true, after: v) { return true }
        if relocate(u, length: 3, reversed: false, after: v) { return true }
        if u < v && swap(u, 1, v, 1) { return true }
        if swap(u, 2, v, 1) { return true }
        if u < v && swap(u, 2, v, 2) { return true }
        if routeOf[Int(u)] == routeOf[Int(v)] {
            if twoOpt(u, v) { return true }
        } else {
            if twoOptStarReversed(u, v) { return true }
            if twoOptStar(u, v) { return true }
        }
        return false
    }

    /// Moves that put u right after the start depot `depot`.
    private func tryDepotMoves(_ u: Int32, _ depot: Int32) -> Bool {
        if relocate(u, length: 1, reversed: false, after: depot) { return true }
        if relocate(u, length: 2, reversed: false, after: depot) { return true }
        if relocate(u, length: 2, reversed: true, after: depot) { return true }
        if routeOf[Int(u)] != routeOf[Int(depot)] {
            if twoOptStarReversed(u, depot) { return true }
            if twoOptStar(u, depot) { return true }
        }
        return false
    }

    /// The node `count - 1` steps after u, if all of u…it are clients.
    @inline(__always) private func segmentEnd(_ u: Int32, _ count: Int) -> Int32? {
        var e = u
        for _ in 1..<count {
            e = next[Int(e)]
            if isDepot(e) { return nil }
        }
        return e
    }

    // MARK: Relocate (or-opt)

    /// Moves the `length` clients starting at u (optionally reversed) to right after v.
    private func relocate(_ u: Int32, length: Int, reversed rev: Bool, after v: Int32) -> Bool {
        guard let e = segmentEnd(u, length) else { return false }
        let p = prev[Int(u)], q = next[Int(e)]
        let ru = Int(routeOf[Int(u)]), rv = Int(routeOf[Int(v)])
        if ru == rv {
            let pv = position[Int(v)]
            if pv >= position[Int(u)] && pv <= position[Int(e)] { return false }
            if v == p { return false }
        }
        if prune {
            // Arcs removed (cached), the penalty change, then the two new arcs, rejecting as soon as it is hopeless.
            var bound = bridge[(length - 1) * nodeCount + Int(u)] - outArc[Int(p)] - outArc[Int(e)] - outArc[Int(v)]
            var bounded = true
            if ru != rv {
                let route = route(ru)
                if Int(route.clients) > length {
                    let moved = load(u, e)
                    bound += penaltyBound(ru, rv, newU: route.load - moved, newV: self.route(rv).load + moved)
                } else {
                    bounded = false  // the route empties: its fixed cost goes too, which no arc shows
                }
            } else {
                bound -= penalties.time * route(ru).timeWarp
            }
            if bounded {
                if rev && !symmetric { bound += c(e, u) - outArc[Int(u)] }
                if earlyExit && bound >= LocalSearch.epsilon { return false }
                bound += c(v, rev ? e : u)
                if earlyExit && bound >= LocalSearch.epsilon { return false }
                bound += c(rev ? u : e, next[Int(v)])
                if bound >= LocalSearch.epsilon { return false }
            }
        }
        let moved = rev ? reversed(u, e) : between(u, e)
        let delta: Double
        if ru != rv {
            let newU = data.join(forward[Int(p)], backward[Int(q)])
            let newV = data.join(data.join(forward[Int(v)], moved), backward[Int(next[Int(v)])])
            delta = cost(newU) + cost(newV) - routeCost[ru] - routeCost[rv]
        } else if position[Int(v)] < position[Int(u)] {
            let s = data.join(data.join(data.join(forward[Int(v)], moved), between(next[Int(v)], p)), backward[Int(q)])
            delta = cost(s) - routeCost[ru]
        } else {
            let s = data.join(data.join(data.join(forward[Int(p)], between(q, v)), moved), backward[Int(next[Int(v)])])
            delta = cost(s) - routeCost[ru]
        }
        guard delta < LocalSearch.epsilon else { return false }
        scratch.removeAll(keepingCapacity: true)
        var x = u
        while true { scratch.append(x); if x == e { break }; x = next[Int(x)] }
        if rev { scratch.reverse() }
        next[Int(p)] = q
        prev[Int(q)] = p
        var anchor = v
        for node in scratch { insert(node, after: anchor); anchor = node }
        commit(ru, rv, expected: delta)
        return true
    }

    @inline(__always) private func insert(_ x: Int32, after w: Int32) {
        let nx = next[Int(w)]
        next[Int(w)] = x
        prev[Int(x)] = w
        next[Int(x)] = nx
        prev[Int(nx)] = x
    }

    private func commit(_ a: Int, _ b: Int, expected delta: Double) {
        #if DEBUG
        let before = routeCost[a] + (b != a ? routeCost[b] : 0)
        #endif
        moveCount += 1
        update(a)
        if b != a { update(b) }
        #if DEBUG
        let after = routeCost[a] + (b != a ? routeCost[b] : 0)
        assert(abs(after - before - delta) <= 1e-6 * max(1, abs(before)), "move delta \(delta) but cost changed by \(after - before)")
        #endif
    }

    // MARK: Swap (exchange, cross-exchange of short segments)

    /// Exchanges the `lu` clients starting at u with the `lv` clients starting at v.
    private func swap(_ u: Int32, _ lu: Int, _ v: Int32, _ lv: Int) -> Bool {
        guard !isDepot(v), let eu = segmentEnd(u, lu), let ev = segmentEnd(v, lv) else { return false }
        let ru = Int(routeOf[Int(u)]), rv = Int(routeOf[Int(v)])
        if prune {
            let pu = prev[Int(u)], nu = next[Int(eu)], pv = prev[Int(v)], nv = next[Int(ev)]
            if ru != rv || (nu != v && nv != u) {
                var bound = -(outArc[Int(pu)] + outArc[Int(eu)] + outArc[Int(pv)] + outArc[Int(ev)])
                if ru != rv {
                    let la = load(u, eu), lb = load(v, ev)
                    bound += penaltyBound(ru, rv, newU: route(ru).load - la + lb, newV: route(rv).load - lb + la)
                } else {
                    bound -= penalties.time * route(ru).timeWarp
                }
                if earlyExit {
                    // Each new arc only adds: stop reading the matrix once the bound cannot go below zero.
                    bound += c(pu, v)
                    if bound >= LocalSearch.epsilon { return false }
                    bound += c(pv, u)
                    if bound >= LocalSearch.epsilon { return false }
                    bound += c(ev, nu)
                    if bound >= LocalSearch.epsilon { return false }
                    bound += c(eu, nv)
                } else {
                    bound += c(pu, v) + c(pv, u) + c(ev, nu) + c(eu, nv)
                }
                if bound >= LocalSearch.epsilon { return false }
            }
        }
        let a = between(u, eu), b = between(v, ev)
        let delta: Double
        if ru != rv {
            let newU = data.join(data.join(forward[Int(prev[Int(u)])], b), backward[Int(next[Int(eu)])])
            let newV = data.join(data.join(forward[Int(prev[Int(v)])], a), backward[Int(next[Int(ev)])])
            delta = cost(newU) + cost(newV) - routeCost[ru] - routeCost[rv]
        } else {
            // Order the two segments along the route: first (f…ef), then (s…es); they must not overlap.
            let uFirst = position[Int(u)] < position[Int(v)]
            let (f, ef, s, es) = uFirst ? (u, eu, v, ev) : (v, ev, u, eu)
            if position[Int(ef)] >= position[Int(s)] { return false }
            let first = uFirst ? a : b, second = uFirst ? b : a
            var t = data.join(forward[Int(prev[Int(f)])], second)
            if next[Int(ef)] != s { t = data.join(t, between(next[Int(ef)], prev[Int(s)])) }
            t = data.join(data.join(t, first), backward[Int(next[Int(es)])])
            delta = cost(t) - routeCost[ru]
        }
        guard delta < LocalSearch.epsilon else { return false }
        if ru == rv && next[Int(eu)] == v {
            moveSegment(u, eu, after: ev)
        } else if ru == rv && next[Int(ev)] == u {
            moveSegment(v, ev, after: eu)
        } else {
            let anchorU = prev[Int(u)], anchorV = prev[Int(v)]
            scratch.removeAll(keepingCapacity: true)
            scratch2.removeAll(keepingCapacity: true)
            var x = u
            while true { scratch.append(x); if x == eu { break }; x = next[Int(x)] }
            x = v
            while true { scratch2.append(x); if x == ev { break }; x = next[Int(x)] }
            unlink(u, eu)
            unlink(v, ev)
            var anchor = anchorU
            for node in scratch2 { insert(node, after: anchor); anchor = node }
            anchor = anchorV
            for node in scratch { insert(node, after: anchor); anchor = node }
        }
        commit(ru, rv, expected: delta)
        return true
    }

    @inline(__always) private func unlink(_ a: Int32, _ b: Int32) {
        let p = prev[Int(a)], q = next[Int(b)]
        next[Int(p)] = q
        prev[Int(q)] = p
    }

    private func moveSegment(_ a: Int32, _ b: Int32, after w: Int32) {
        scratch.removeAll(keepingCapacity: true)
        var x = a
        while true { scratch.append(x); if x == b { break }; x = next[Int(x)] }
        unlink(a, b)
        var anchor = w
        for node in scratch { insert(node, after: anchor); anchor = node }
    }

    // MARK: 2-opt and 2-opt*

    /// Reverses the part of u's route strictly after u up to v (u before v in the same route).
    private func twoOpt(_ u: Int32, _ v: Int32) -> Bool {
        guard position[Int(u)] < position[Int(v)] else { return false }
        let x = next[Int(u)]
        guard x != v else { return false }
        let r = Int(routeOf[Int(u)])
        if prune && symmetric {
            let y = next[Int(v)]
            let bound = c(u, v) + c(x, y) - outArc[Int(u)] - outArc[Int(v)] - penalties.time * route(r).timeWarp
            if bound >= LocalSearch.epsilon { return false }
        }
        let s = data.join(data.join(forward[Int(u)], reversed(x, v)), backward[Int(next[Int(v)])])
        let delta = cost(s) - routeCost[r]
        guard delta < LocalSearch.epsilon else { return false }
        scratch.removeAll(keepingCapacity: true)
        var w = x
        while true { scratch.append(w); if w == v { break }; w = next[Int(w)] }
        let y = next[Int(v)]
        var anchor = u
        for node in scratch.reversed() {
            next[Int(anchor)] = node
            prev[Int(node)] = anchor
            anchor = node
        }
        next[Int(anchor)] = y
        prev[Int(y)] = anchor
        commit(r, r, expected: delta)
        return true
    }

    /// Exchanges the tails: u's route continues after v, v's route continues after u (u, v in different routes).
    private func twoOptStar(_ u: Int32, _ v: Int32) -> Bool {
        let ru = Int(routeOf[Int(u)]), rv = Int(routeOf[Int(v)])
        let x = next[Int(u)], y = next[Int(v)]
        if prune && !(isDepot(v) && isDepot(x)) {
            var bound = c(u, y) + c(v, x) - outArc[Int(u)] - outArc[Int(v)]
            bound += penaltyBound(ru, rv, newU: forward[Int(u)].load + backward[Int(y)].load,
                                  newV: forward[Int(v)].load + backward[Int(x)].load)
            if bound >= LocalSearch.epsilon { return false }
        }
        let newU = data.join(forward[Int(u)], backward[Int(y)])
        let newV = data.join(forward[Int(v)], backward[Int(x)])
        let delta = cost(newU) + cost(newV) - routeCost[ru] - routeCost[rv]
        guard delta < LocalSearch.epsilon else { return false }
        scratch.removeAll(keepingCapacity: true)
        scratch2.removeAll(keepingCapacity: true)
        var w = x
        while !isDepot(w) { scratch.append(w); w = next[Int(w)] }
        w = y
        while !isDepot(w) { scratch2.append(w); w = next[Int(w)] }
        relink(from: u, scratch2, end: endDepot(ru))
        relink(from: v, scratch, end: endDepot(rv))
        commit(ru, rv, expected: delta)
        return true
    }

    /// The other 2-opt*: u's route becomes start…u, v, prev(v)…first(V); v's becomes last(U)…x, y…end.
    private func twoOptStarReversed(_ u: Int32, _ v: Int32) -> Bool {
        let ru = Int(routeOf[Int(u)]), rv = Int(routeOf[Int(v)])
        let y = next[Int(v)]
        if prune && symmetric {
            let x = next[Int(u)]
            if !(isDepot(x) && isDepot(y)) {
                var bound = c(u, v) + c(x, y) - outArc[Int(u)] - outArc[Int(v)]
                bound += penaltyBound(ru, rv, newU: forward[Int(u)].load + forward[Int(v)].load,
                                      newV: backward[Int(x)].load + backward[Int(y)].load)
                if bound >= LocalSearch.epsilon { return false }
            }
        }
        var s = forward[Int(u)]
        var w = v
        while !isDepot(w) { s = data.join(s, segment[Int(w)]); w = prev[Int(w)] }
        s = data.join(s, segment[Int(endDepot(ru))])
        var t = segment[Int(startDepot(rv))]
        w = prev[Int(endDepot(ru))]
        while w != u { t = data.join(t, segment[Int(w)]); w = prev[Int(w)] }
        t = data.join(t, backward[Int(y)])
        let delta = cost(s) + cost(t) - routeCost[ru] - routeCost[rv]
        guard delta < LocalSearch.epsilon else { return false }
        scratch.removeAll(keepingCapacity: true)
        scratch2.removeAll(keepingCapacity: true)
        w = v
        while !isDepot(w) { scratch.append(w); w = prev[Int(w)] }      // v … first(V)
        w = prev[Int(endDepot(ru))]
        while w != u { scratch2.append(w); w = prev[Int(w)] }          // last(U) … x
        scratch3.removeAll(keepingCapacity: true)
        w = y
        while !isDepot(w) { scratch3.append(w); w = next[Int(w)] }
        relink(from: u, scratch, end: endDepot(ru))
        scratch2.append(contentsOf: scratch3)
        relink(from: startDepot(rv), scratch2, end: endDepot(rv))
        commit(ru, rv, expected: delta)
        return true
    }

    private func relink(from anchor: Int32, _ nodes: [Int32], end: Int32) {
        var a = anchor
        for node in nodes {
            next[Int(a)] = node
            prev[Int(node)] = a
            a = node
        }
        next[Int(a)] = end
        prev[Int(end)] = a
    }
}
