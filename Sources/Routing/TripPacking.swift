/// What the packing needs to know about one trip.
struct TripSummary: Sendable {
    /// Duration from leaving the facility to the end of unloading (s).
    var duration: Double
    /// Interval of start times without extra waiting or lateness.
    var earliest: Double
    var latest: Double
    /// First client of the trip (internal index), for the depot-start correction of a truck's first trip.
    var firstClient: Int32
}

/// Result of assigning trips to trucks.
struct Packing: Sendable {
    /// Lateness plus shift overflow plus the duration of trips beyond the per-truck trip limit (s).
    var violation: Double
    /// Objective cost not already counted in the trips: waiting between trips, the first trip's start at the
    /// depot, and the facility → depot returns.
    var extraCost: Double
    /// Truck of each trip; trips of a truck run in increasing order of `order` position.
    var truckOfTrip: [Int32]
    /// Trips in the order they were placed (the order they run within each truck).
    var order: [Int32]
    var trucksUsed: Int
}

extension SolverData {
    /// Assigns trips to trucks: trips sorted by earliest start then longest first, each placed on the truck where it
    /// adds the least violation, then the least time, preferring the busiest truck (best-fit decreasing).
    func pack(_ trips: [TripSummary]) -> Packing {
        let count = trips.count
        var order = (0..<count).map { Int32($0) }
        order.sort { a, b in
            let x = trips[Int(a)], y = trips[Int(b)]
            if x.earliest != y.earliest { return x.earliest < y.earliest }
            if x.duration != y.duration { return x.duration > y.duration }
            return a < b
        }
        let limit = problem.fleet.maxTripsPerTruck ?? Int.max
        var free = [Double]()
        var firstStart = [Double]()
        var tripsOn = [Int]()
        var extraDistance = 0.0
        var truckOf = [Int32](repeating: -1, count: count)
        var violation = 0.0
        let ret = returnTime
        func overflow(_ t: Double) -> Double { max(0, t + ret - shiftEnd) }
        for t in order {
            let trip = trips[Int(t)]
            var bestTruck = -1
            var bestViolation = Double.infinity, bestTime = Double.infinity, bestFree = -Double.infinity
            var bestEnd = 0.0, bestStart = 0.0
            for k in 0..<free.count where tripsOn[k] < limit {
                let start = max(min(free[k], trip.latest), trip.earliest)
                let warp = max(0, free[k] - trip.latest)
                let end = start + trip.duration
                let v = warp + overflow(end) - overflow(free[k])
                let added = end - free[k]
                if v < bestViolation - 1e-9
                    || (v <= bestViolation + 1e-9 && (added < bestTime - 1e-9
                        || (added <= bestTime + 1e-9 && free[k] > bestFree))) {
                    bestTruck = k; bestViolation = v; bestTime = added; bestFree = free[k]
                    bestEnd = end; bestStart = start
                }
            }
            if free.count < trucks {
                let start = max(shiftStart, min(trip.earliest, trip.latest))
                let end = start + trip.duration + firstTripExtraTime[Int(trip.firstClient)]
                let v = overflow(end)
                let added = end - start + ret
                if v < bestViolation - 1e-9 || (v <= bestViolation + 1e-9 && added < bestTime - 1e-9) {
                    bestTruck = free.count; bestViolation = v; bestTime = added; bestEnd = end; bestStart = start
                }
            }
            if bestTruck < 0 {
                // Every truck is at its trip limit: put it on the least busy one and count the whole trip as violation.
                bestTruck = free.indices.min { free[$0] < free[$1] } ?? 0
                let start = max(free[bestTruck], trip.earliest)
                bestEnd = start + trip.duration
                bestViolation = trip.duration + overflow(bestEnd) - overflow(free[bestTruck])
                bestStart = start
            }
            if bestTruck == free.count {
                free.append(bestEnd); firstStart.append(bestStart); tripsOn.append(1)
                extraDistance += firstTripExtraDistance[Int(trip.firstClient)]
            } else {
                free[bestTruck] = bestEnd
                tripsOn[bestTruck] += 1
            }
            violation += bestViolation
            truckOf[Int(t)] = Int32(bestTruck)
        }
        var truckTime = 0.0
        for k in 0..<free.count { truckTime += free[k] + ret - firstStart[k] }
        let tripTime = trips.reduce(0) { $0 + $1.duration }
        let extra = weights.time * (truckTime - tripTime)
            + weights.distance * (extraDistance + Double(free.count) * returnDistance)
        return Packing(violation: max(0, violation), extraCost: extra, truckOfTrip: truckOf, order: order,
                       trucksUsed: free.count)
    }
}
