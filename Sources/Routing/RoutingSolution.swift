/// One stop on a trip with its planned times (seconds of the day).
public struct Visit: Sendable, Hashable {
    /// Index into `RoutingProblem.stops`.
    public var stop: Int
    /// Arrival at the stop.
    public var arrival: Double
    /// Service start: arrival, or the window's opening if the truck waits.
    public var serviceStart: Double
}

/// One trip: leave the depot (first trip) or the facility, visit stops, unload at the facility.
public struct Trip: Sendable, Hashable {
    /// Departure from the depot (first trip) or the facility (later trips).
    public var departure: Double
    /// Stops in visiting order, with their times.
    public var visits: [Visit]
    /// Weight collected (kg).
    public var load: Double
    /// Arrival at the facility.
    public var facilityArrival: Double
    /// End of unloading at the facility.
    public var unloadEnd: Double
    /// Metres driven on this trip, up to the facility.
    public var distance: Double

    /// Stop indices in visiting order.
    public var stops: [Int] { visits.map(\.stop) }
}

/// The plan of one truck: its trips in order and its return to the depot.
public struct TruckPlan: Sendable, Hashable {
    /// Truck number, 0-based.
    public var truck: Int
    /// Trips in order.
    public var trips: [Trip]
    /// Arrival back at the depot after the last trip.
    public var returnTime: Double
    /// Truck time from departure to return (s).
    public var time: Double
    /// Metres driven, including the facility → depot return.
    public var distance: Double
}

/// A collection plan with totals and, if any, the reasons it breaks a constraint.
public struct RoutingSolution: Sendable {
    /// Trucks that leave the depot, each with at least one trip.
    public var trucks: [TruckPlan]
    /// Sum of truck times (s).
    public var totalTime: Double
    /// Sum of truck distances (m).
    public var totalDistance: Double
    /// Objective value: weights applied to the totals.
    public var cost: Double
    /// Broken constraints found by `validate`; empty when the plan is feasible.
    public var violations: [Violation]
    /// Problems found before solving (`RoutingProblem.diagnose()`).
    public var diagnoses: [Diagnosis]
    /// Solver iterations performed (0 for a plan built by hand).
    public var iterations: Int

    /// True when no constraint is broken.
    public var isFeasible: Bool { violations.isEmpty && diagnoses.isEmpty }
    /// Number of trips over all trucks.
    public var tripCount: Int { trucks.reduce(0) { $0 + $1.trips.count } }

    /// Human-readable report of what makes the plan infeasible (empty when feasible).
    public var infeasibilityReport: String {
        (diagnoses.map(\.description) + violations.map(\.description)).joined(separator: "\n")
    }
}

extension RoutingSolution {
    /// Builds a timed plan from stop lists (`tripsPerTruck[truck][trip] = [stop]`), leaving as late as possible
    /// without extra waiting, then validates it against the problem.
    public init(problem: RoutingProblem, tripsPerTruck: [[[Int]]], iterations: Int = 0) {
        var plans: [TruckPlan] = []
        for (truck, trips) in tripsPerTruck.enumerated() where !trips.isEmpty {
            plans.append(Schedule.plan(truck: truck, trips: trips, problem: problem))
        }
        let time = plans.reduce(0) { $0 + $1.time }
        let metres = plans.reduce(0) { $0 + $1.distance }
        self.trucks = plans
        self.totalTime = time
        self.totalDistance = metres
        self.cost = problem.objective.time * time + problem.objective.distance * metres
        self.violations = []
        self.diagnoses = []
        self.iterations = iterations
        self.violations = validate(self, problem)
    }
}

/// Timing of a truck's trips on the real locations.
enum Schedule {
    /// Times a truck's trips: each trip departs as soon as the truck is free, but no earlier than needed to
    /// avoid waiting (the latest-start logic of the time-window segments).
    static func plan(truck: Int, trips: [[Int]], problem: RoutingProblem) -> TruckPlan {
        var result: [Trip] = []
        var available = problem.fleet.shiftStart
        var location = problem.depot
        var metres = 0.0
        var firstDeparture = available
        for (index, stops) in trips.enumerated() {
            let start = location
            let departure = max(available, latestUsefulDeparture(from: start, stops: stops, problem: problem))
            if index == 0 { firstDeparture = departure }
            var clock = departure
            var at = start
            var visits: [Visit] = []
            var load = 0.0
            var tripMetres = 0.0
            for s in stops {
                let stop = problem.stops[s]
                clock += problem.time(at, stop.location)
                tripMetres += problem.metres(at, stop.location)
                let begin = max(clock, stop.timeWindow?.earliest ?? -Double.infinity)
                visits.append(Visit(stop: s, arrival: clock, serviceStart: begin))
                clock = begin + stop.serviceTime
                load += stop.demand
                at = stop.location
            }
            clock += problem.time(at, problem.facility)
            tripMetres += problem.metres(at, problem.facility)
            let unloadEnd = clock + problem.fleet.unloadTime
            result.append(Trip(departure: departure, visits: visits, load: load, facilityArrival: clock,
                               unloadEnd: unloadEnd, distance: tripMetres))
            metres += tripMetres
            available = unloadEnd
            location = problem.facility
        }
        let returnTime = available + problem.time(problem.facility, problem.depot)
        metres += problem.metres(problem.facility, problem.depot)
        return TruckPlan(truck: truck, trips: result, returnTime: returnTime,
                         time: returnTime - firstDeparture, distance: metres)
    }

    /// The latest departure that does not delay any service start or cause lateness, if any window binds.
    private static func latestUsefulDeparture(from start: Int, stops: [Int], problem: RoutingProblem) -> Double {
        var segment = TimeSegment.node(location: start, service: 0, window: nil, load: 0)
        for s in stops {
            let stop = problem.stops[s]
            let next = TimeSegment.node(location: stop.location, service: stop.serviceTime,
                                        window: stop.timeWindow, load: stop.demand)
            segment = segment.then(next, time: problem.time(Int(segment.last), Int(next.first)),
                                   distance: problem.metres(Int(segment.last), Int(next.first)))
        }
        return segment.earliest.isFinite ? segment.earliest : -Double.infinity
    }
}
