/// Cost breakdown of a set of routes under given penalties.
struct Evaluation: Sendable {
    var penalisedCost = 0.0
    /// Unpenalised objective.
    var cost = 0.0
    var excessLoad = 0.0
    var timeWarp = 0.0
    var packingViolation = 0.0
    var isFeasible: Bool { excessLoad < 1e-9 && timeWarp < 1e-9 && packingViolation < 1e-9 }
    var loadFeasible: Bool { excessLoad < 1e-9 }
    var timeFeasible: Bool { timeWarp < 1e-9 && packingViolation < 1e-9 }

    /// The penalised cost under other penalties than the ones it was evaluated with.
    func penalised(by p: Penalties) -> Double {
        cost + p.capacity * excessLoad + p.time * (timeWarp + packingViolation)
    }
}

/// A solution in the population: a giant tour (the chromosome) and its routes (trips).
struct Individual: Sendable {
    /// All clients in route order; Split turns it into routes.
    var tour: [Int32]
    /// Non-empty routes, each a list of internal clients.
    var routes: [[Int32]]
    /// Successor and predecessor of each client (0 = depot), for the broken-pairs distance.
    var successor: [Int32]
    var predecessor: [Int32]
    var evaluation = Evaluation()

    init(clientCount: Int) {
        tour = (1...max(clientCount, 1)).map { Int32($0) }
        if clientCount == 0 { tour = [] }
        routes = []
        successor = [Int32](repeating: 0, count: clientCount + 1)
        predecessor = successor
    }

    /// Sets routes, rebuilds the giant tour and neighbour links, and evaluates.
    mutating func setRoutes(_ newRoutes: [[Int32]], data: SolverData, penalties: Penalties) {
        routes = newRoutes.filter { !$0.isEmpty }
        tour.removeAll(keepingCapacity: true)
        for r in routes {
            tour.append(contentsOf: r)
            for (k, c) in r.enumerated() {
                predecessor[Int(c)] = k == 0 ? 0 : r[k - 1]
                successor[Int(c)] = k == r.count - 1 ? 0 : r[k + 1]
            }
        }
        evaluate(data: data, penalties: penalties)
    }

    /// Recomputes the evaluation (e.g. after the penalties changed).
    mutating func evaluate(data: SolverData, penalties: Penalties) {
        var e = Evaluation()
        var trips: [TripSummary] = []
        if data.multiTrip { trips.reserveCapacity(routes.count) }
        for r in routes {
            let s = data.routeSegment(r)
            e.cost += data.objective(s)
            e.excessLoad += max(0, s.load - data.capacity)
            e.timeWarp += s.timeWarp
            if data.multiTrip {
                trips.append(TripSummary(duration: s.duration, earliest: s.earliest, latest: s.latest,
                                         firstClient: r[0]))
            }
        }
        if data.multiTrip {
            let packing = data.pack(trips)
            e.cost += packing.extraCost
            e.packingViolation = packing.violation
        } else if routes.count > data.maxRoutes {
            e.packingViolation = Double(routes.count - data.maxRoutes) * 1e6
        }
        e.penalisedCost = e.penalised(by: penalties)
        evaluation = e
    }

    /// Broken-pairs distance to another individual, in [0, 1].
    func brokenPairsDistance(to other: Individual) -> Double {
        let s = successor.count - 1
        guard s > 0 else { return 0 }
        var differences = 0
        for j in 1...s {
            if successor[j] != other.successor[j] && successor[j] != other.predecessor[j] { differences += 1 }
            if predecessor[j] == 0 && other.predecessor[j] != 0 && other.successor[j] != 0 { differences += 1 }
        }
        return Double(differences) / Double(s)
    }
}
