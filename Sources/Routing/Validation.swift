/// A constraint a plan breaks, with enough detail to find it on the driver's sheet.
public enum Violation: Sendable, Hashable, CustomStringConvertible {
    case stopMissing(stop: Int)
    case stopVisitedTwice(stop: Int)
    case unknownStop(index: Int)
    case unknownTruck(truck: Int)
    case tooManyTrucks(used: Int, available: Int)
    case tooManyTrips(truck: Int, trips: Int, allowed: Int)
    case overCapacity(truck: Int, trip: Int, load: Double, capacity: Double)
    case departsBeforeShift(truck: Int, departure: Double, shiftStart: Double)
    case departsBeforeFree(truck: Int, trip: Int, departure: Double, freeAt: Double)
    case lateAtStop(truck: Int, trip: Int, stop: Int, arrival: Double, latest: Double)
    case unreachable(truck: Int, trip: Int, from: Int, to: Int)
    case returnsAfterShift(truck: Int, returnTime: Double, shiftEnd: Double)
    case totalsMismatch(field: String, reported: Double, recomputed: Double)

    public var description: String {
        switch self {
        case .stopMissing(let s): "stop \(s) is not visited by any truck"
        case .stopVisitedTwice(let s): "stop \(s) is visited more than once"
        case .unknownStop(let i): "stop index \(i) does not exist"
        case .unknownTruck(let t): "truck \(t + 1) does not exist in the fleet"
        case .tooManyTrucks(let used, let available): "\(used) trucks used but only \(available) available"
        case .tooManyTrips(let t, let trips, let allowed): "truck \(t + 1) makes \(trips) trips, at most \(allowed) allowed"
        case .overCapacity(let t, let trip, let load, let cap):
            "truck \(t + 1) trip \(trip + 1) carries \(fmt(load)) kg, over its capacity of \(fmt(cap)) kg"
        case .departsBeforeShift(let t, let dep, let start):
            "truck \(t + 1) leaves at \(clock(dep)), before the shift starts at \(clock(start))"
        case .departsBeforeFree(let t, let trip, let dep, let free):
            "truck \(t + 1) trip \(trip + 1) leaves at \(clock(dep)) but is unloading until \(clock(free))"
        case .lateAtStop(let t, let trip, let s, let arrival, let latest):
            "truck \(t + 1) trip \(trip + 1) reaches stop \(s) at \(clock(arrival)), after its window closes at \(clock(latest))"
        case .unreachable(let t, let trip, let from, let to):
            "truck \(t + 1) trip \(trip + 1) has no road from location \(from) to location \(to)"
        case .returnsAfterShift(let t, let ret, let end):
            "truck \(t + 1) is back at the depot at \(clock(ret)), after the shift ends at \(clock(end))"
        case .totalsMismatch(let field, let reported, let recomputed):
            "reported \(field) \(fmt(reported)) differs from recomputed \(fmt(recomputed))"
        }
    }
}

/// Formats seconds of the day as hh:mm:ss (hours may exceed 24).
func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return seconds > 0 ? "never" : "any time" }
    let s = Int(seconds.rounded())
    let sign = s < 0 ? "-" : ""
    let a = abs(s)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(sign)\(two(a / 3600)):\(two(a / 60 % 60)):\(two(a % 60))"
}

func fmt(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format2: value)
}

extension String {
    init(format2 value: Double) {
        let scaled = (value * 100).rounded() / 100
        self = "\(scaled)"
    }
}

/// Checks a plan against the problem from scratch: every stop once, capacity per trip, the schedule
/// (departures, windows, shift end) and the reported totals. Independent of the solver's bookkeeping.
public func validate(_ solution: RoutingSolution, _ problem: RoutingProblem) -> [Violation] {
    let tolerance = 1e-6
    var violations: [Violation] = []
    var seen = [Int](repeating: 0, count: problem.stops.count)
    var trucksSeen = [Bool](repeating: false, count: max(problem.fleet.trucks, 0))
    if solution.trucks.count > problem.fleet.trucks {
        violations.append(.tooManyTrucks(used: solution.trucks.count, available: problem.fleet.trucks))
    }
    var totalTime = 0.0
    var totalDistance = 0.0
    for plan in solution.trucks {
        let t = plan.truck
        if t < 0 || t >= problem.fleet.trucks || trucksSeen[t] {
            violations.append(.unknownTruck(truck: t))
        } else {
            trucksSeen[t] = true
        }
        if let allowed = problem.fleet.maxTripsPerTruck, plan.trips.count > allowed {
            violations.append(.tooManyTrips(truck: t, trips: plan.trips.count, allowed: allowed))
        }
        guard let firstTrip = plan.trips.first else { continue }
        if firstTrip.departure < problem.fleet.shiftStart - tolerance {
            violations.append(.departsBeforeShift(truck: t, departure: firstTrip.departure,
                                                  shiftStart: problem.fleet.shiftStart))
        }
        var location = problem.depot
        var free = -Double.infinity
        var metres = 0.0
        for (k, trip) in plan.trips.enumerated() {
            if trip.departure < free - tolerance {
                violations.append(.departsBeforeFree(truck: t, trip: k, departure: trip.departure, freeAt: free))
            }
            var clock = trip.departure
            var load = 0.0
            for visit in trip.visits {
                guard visit.stop >= 0 && visit.stop < problem.stops.count else {
                    violations.append(.unknownStop(index: visit.stop))
                    continue
                }
                seen[visit.stop] += 1
                let stop = problem.stops[visit.stop]
                let leg = problem.time(location, stop.location)
                if !leg.isFinite { violations.append(.unreachable(truck: t, trip: k, from: location, to: stop.location)) }
                clock += leg
                metres += problem.metres(location, stop.location)
                if let window = stop.timeWindow {
                    if clock > window.latest + tolerance {
                        violations.append(.lateAtStop(truck: t, trip: k, stop: visit.stop, arrival: clock,
                                                      latest: window.latest))
                    }
                    clock = max(clock, window.earliest)
                }
                clock += stop.serviceTime
                load += stop.demand
                location = stop.location
            }
            if load > problem.fleet.capacity + tolerance {
                violations.append(.overCapacity(truck: t, trip: k, load: load, capacity: problem.fleet.capacity))
            }
            let leg = problem.time(location, problem.facility)
            if !leg.isFinite { violations.append(.unreachable(truck: t, trip: k, from: location, to: problem.facility)) }
            clock += leg + problem.fleet.unloadTime
            metres += problem.metres(location, problem.facility)
            location = problem.facility
            free = clock
        }
        let back = free + problem.time(problem.facility, problem.depot)
        metres += problem.metres(problem.facility, problem.depot)
        if back > problem.fleet.shiftEnd + tolerance {
            violations.append(.returnsAfterShift(truck: t, returnTime: back, shiftEnd: problem.fleet.shiftEnd))
        }
        totalTime += back - firstTrip.departure
        totalDistance += metres
    }
    for (s, count) in seen.enumerated() {
        if count == 0 { violations.append(.stopMissing(stop: s)) }
        if count > 1 { violations.append(.stopVisitedTwice(stop: s)) }
    }
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }
    if !close(totalTime, solution.totalTime) {
        violations.append(.totalsMismatch(field: "total time", reported: solution.totalTime, recomputed: totalTime))
    }
    if !close(totalDistance, solution.totalDistance) {
        violations.append(.totalsMismatch(field: "total distance", reported: solution.totalDistance,
                                          recomputed: totalDistance))
    }
    return violations
}
