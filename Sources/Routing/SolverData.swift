/// Penalty weights for capacity excess (per kg) and lateness / shift overflow (per second).
struct Penalties: Sendable, Equatable {
    var capacity: Double
    var time: Double

    func scaled(by factor: Double) -> Penalties { Penalties(capacity: capacity * factor, time: time * factor) }
}

/// Read-only data for the search over internal nodes: 0 is the virtual depot, 1...S are the stops
/// (internal i is `problem.stops[i - 1]`). Row 0 of the matrices leaves the trip's start location (the depot for
/// single trips, else the facility); column 0 reaches the facility, where every trip ends and unloads.
final class SolverData {
    let problem: RoutingProblem
    /// Number of stops S; internal nodes are 0...S.
    let clientCount: Int
    /// Matrix side, S + 1.
    let side: Int
    /// Travel times and distances over internal nodes (unreachable legs clamped to a large finite value).
    let time: UnsafeMutablePointer<Double>
    let dist: UnsafeMutablePointer<Double>
    /// Segment of each internal node's visit (index 0 unused).
    let clientSegment: [TimeSegment]
    /// Segments of the start and end of every trip.
    let startSegment: TimeSegment
    let endSegment: TimeSegment
    let capacity: Double
    let weights: ObjectiveWeights
    /// Cost added to every non-empty route (single-trip mode: the facility → depot return).
    let routeFixedCost: Double
    /// Most routes (trips) the search may use.
    let maxRoutes: Int
    /// What every extra trip costs besides its arcs (unloading at the facility), in objective units.
    let tripOverheadCost: Double
    /// Granular neighbourhoods: for each client, the clients close to it (symmetric relation).
    let neighbours: [[Int32]]
    /// True when routes are trips later packed into truck shifts.
    let multiTrip: Bool
    let trucks: Int
    /// Facility → depot return after the last trip.
    let returnTime: Double
    let returnDistance: Double
    /// Extra time / distance when a trip is a truck's first one (it leaves the depot, not the facility).
    let firstTripExtraTime: [Double]
    let firstTripExtraDistance: [Double]
    let shiftStart: Double
    let shiftEnd: Double
    let maxArcCost: Double
    let maxDemand: Double
    /// Weighted arc cost `time × w.time + distance × w.distance` over internal nodes, for move pruning.
    let arc: UnsafeMutablePointer<Double>
    /// No stop has a time window: durations are travel + service, so arc deltas bound move deltas.
    let hasTimeWindows: Bool
    /// Arc costs are symmetric and trips start where they end: reversing a segment keeps its internal cost.
    let isSymmetric: Bool
    /// No weighted arc cost is negative (adding an arc never lowers a bound).
    let arcsAreNonNegative: Bool

    static let unreachable = 1e9

    init(problem: RoutingProblem, granularity: Int) {
        self.problem = problem
        let s = problem.stops.count
        clientCount = s
        side = s + 1
        multiTrip = problem.allowsMultipleTrips
        let start = multiTrip ? problem.facility : problem.depot
        let end = problem.facility
        func loc(_ i: Int, asStart: Bool) -> Int { i == 0 ? (asStart ? start : end) : problem.stops[i - 1].location }
        func finite(_ v: Double) -> Double { v.isFinite ? v : SolverData.unreachable }
        time = .allocate(capacity: side * side)
        dist = .allocate(capacity: side * side)
        weights = problem.objective
        var maxArc = 0.0
        for i in 0..<side {
            for j in 0..<side {
                let a = loc(i, asStart: true), b = loc(j, asStart: false)
                time[i * side + j] = finite(problem.time(a, b))
                dist[i * side + j] = finite(problem.metres(a, b))
                maxArc = max(maxArc, weights.time * time[i * side + j] + weights.distance * dist[i * side + j])
            }
        }
        maxArcCost = maxArc
        arc = .allocate(capacity: side * side)
        var symmetric = start == end
        for i in 0..<side {
            for j in 0..<side {
                arc[i * side + j] = weights.time * time[i * side + j] + weights.distance * dist[i * side + j]
                if i > j && (time[i * side + j] != time[j * side + i] || dist[i * side + j] != dist[j * side + i]) {
                    symmetric = false
                }
            }
        }
        isSymmetric = symmetric
        let arcs = UnsafeBufferPointer(start: arc, count: side * side)
        arcsAreNonNegative = !arcs.contains { $0 < 0 }
        hasTimeWindows = problem.stops.contains { $0.timeWindow != nil }
        let fleet = problem.fleet
        capacity = fleet.capacity
        trucks = fleet.trucks
        shiftStart = fleet.shiftStart
        shiftEnd = fleet.shiftEnd
        returnTime = finite(problem.time(problem.facility, problem.depot))
        returnDistance = finite(problem.metres(problem.facility, problem.depot))
        var segments = [TimeSegment.node(location: 0, service: 0, window: nil, load: 0)]
        for (i, stop) in problem.stops.enumerated() {
            segments.append(TimeSegment.node(location: i + 1, service: stop.serviceTime, window: stop.timeWindow,
                                             load: stop.demand, isClient: true))
        }
        clientSegment = segments
        maxDemand = problem.stops.map(\.demand).max() ?? 1
        startSegment = TimeSegment.node(location: 0, service: 0,
                                        window: TimeWindow(earliest: fleet.shiftStart, latest: fleet.shiftEnd), load: 0)
        let lastArrival = fleet.shiftEnd - fleet.unloadTime - returnTime
        endSegment = TimeSegment.node(location: 0, service: fleet.unloadTime,
                                      window: TimeWindow(earliest: -Double.infinity, latest: lastArrival), load: 0)
        routeFixedCost = multiTrip ? 0 : weights.time * returnTime + weights.distance * returnDistance
        tripOverheadCost = multiTrip ? weights.time * fleet.unloadTime : 0
        if multiTrip {
            firstTripExtraTime = (0...s).map { i in
                i == 0 ? 0 : finite(problem.time(problem.depot, loc(i, asStart: false))) - finite(problem.time(problem.facility, loc(i, asStart: false)))
            }
            firstTripExtraDistance = (0...s).map { i in
                i == 0 ? 0 : finite(problem.metres(problem.depot, loc(i, asStart: false))) - finite(problem.metres(problem.facility, loc(i, asStart: false)))
            }
        } else {
            firstTripExtraTime = [Double](repeating: 0, count: s + 1)
            firstTripExtraDistance = firstTripExtraTime
        }
        let totalDemand = problem.stops.reduce(0) { $0 + $1.demand }
        // Capped before the conversion: a tiny capacity makes the quotient overflow Int (or be infinite).
        let byLoad = Int(min((1.5 * totalDemand / max(fleet.capacity, 1e-9)).rounded(.up), Double(s))) + 3
        let tripLimit = fleet.trucks.multipliedReportingOverflow(by: fleet.maxTripsPerTruck ?? s).overflow
            ? Int.max : fleet.trucks * (fleet.maxTripsPerTruck ?? s)
        maxRoutes = max(1, multiTrip ? min(s, tripLimit, max(byLoad, fleet.trucks)) : min(s, fleet.trucks))
        neighbours = SolverData.buildNeighbours(side: side, time: time, dist: dist, weights: weights,
                                                granularity: granularity)
    }

    deinit {
        time.deallocate()
        dist.deallocate()
        arc.deallocate()
    }

    /// The `granularity` nearest clients of each client by arc cost, made symmetric.
    private static func buildNeighbours(side: Int, time: UnsafeMutablePointer<Double>,
                                        dist: UnsafeMutablePointer<Double>, weights: ObjectiveWeights,
                                        granularity: Int) -> [[Int32]] {
        let s = side - 1
        var lists = [[Int32]](repeating: [], count: side)
        guard s > 1 else { return lists }
        var member = [Bool](repeating: false, count: side * side)
        let wT = weights.time == 0 && weights.distance == 0 ? 1 : weights.time
        let wD = weights.distance
        var candidates: [(Double, Int32)] = []
        candidates.reserveCapacity(s)
        for i in 1...s {
            candidates.removeAll(keepingCapacity: true)
            for j in 1...s where j != i {
                // Either direction may be used next to i: take the cheaper.
                let a = wT * time[i * side + j] + wD * dist[i * side + j]
                let b = wT * time[j * side + i] + wD * dist[j * side + i]
                candidates.append((min(a, b), Int32(j)))
            }
            candidates.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (_, j) in candidates.prefix(granularity) {
                member[i * side + Int(j)] = true
                member[Int(j) * side + i] = true
            }
        }
        for i in 1...s {
            for j in 1...s where member[i * side + j] { lists[i].append(Int32(j)) }
        }
        return lists
    }

    /// `a` followed by `b` on the internal matrices.
    @inline(__always)
    func join(_ a: TimeSegment, _ b: TimeSegment) -> TimeSegment {
        let k = Int(a.last) * side + Int(b.first)
        return a.then(b, time: time[k], distance: dist[k])
    }

    /// Unpenalised cost of a complete route segment (start … end); 0 for an empty route.
    @inline(__always)
    func objective(_ s: TimeSegment) -> Double {
        s.clients == 0 ? 0 : weights.time * s.duration + weights.distance * s.distance + routeFixedCost
    }

    /// Penalised cost of a complete route segment; 0 for an empty route.
    @inline(__always)
    func cost(_ s: TimeSegment, _ p: Penalties) -> Double {
        if s.clients == 0 { return 0 }
        return weights.time * s.duration + weights.distance * s.distance + routeFixedCost
            + p.capacity * max(0, s.load - capacity) + p.time * s.timeWarp
    }

    /// Segment of a whole route given its clients.
    func routeSegment<C: Collection<Int32>>(_ clients: C) -> TimeSegment {
        var s = startSegment
        for c in clients { s = join(s, clientSegment[Int(c)]) }
        return join(s, endSegment)
    }
}
