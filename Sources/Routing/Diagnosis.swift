/// A reason, found before solving, why no feasible plan can exist.
public enum Diagnosis: Sendable, Hashable, CustomStringConvertible {
    case invalidInput(String)
    case stopHeavierThanCapacity(stop: Int, demand: Double, capacity: Double)
    case stopUnreachable(stop: Int, location: Int)
    case visitExceedsShift(stop: Int, needed: Double, available: Double)
    case windowUnreachable(stop: Int, earliestArrival: Double, latest: Double)
    case workExceedsFleet(needed: Double, available: Double)
    case demandExceedsFleet(demand: Double, fleetCapacity: Double)

    public var description: String {
        switch self {
        case .invalidInput(let what): "invalid problem: \(what)"
        case .stopHeavierThanCapacity(let s, let demand, let cap):
            "stop \(s) has \(fmt(demand)) kg, more than a truck carries (\(fmt(cap)) kg): split it or use a bigger truck"
        case .stopUnreachable(let s, let loc):
            "stop \(s) (location \(loc)) cannot be reached from the depot or cannot reach the facility by road"
        case .visitExceedsShift(let s, let needed, let available):
            "stop \(s) alone needs \(Int(needed.rounded())) s (depot → stop → facility → depot), but the shift is \(Int(available.rounded())) s"
        case .windowUnreachable(let s, let earliest, let latest):
            "stop \(s) cannot be reached before its window closes at \(clock(latest)) (earliest arrival \(clock(earliest)))"
        case .workExceedsFleet(let needed, let available):
            "the work needs at least \(Int(needed.rounded())) truck-seconds, but the fleet has \(Int(available.rounded())) in its shifts: add trucks or lengthen the shift"
        case .demandExceedsFleet(let demand, let cap):
            "the stops hold \(fmt(demand)) kg, but the fleet carries at most \(fmt(cap)) kg with its trip limit"
        }
    }
}

extension RoutingProblem {
    /// Finds reasons no feasible plan exists: malformed input, stops too heavy, unreachable or too far for the
    /// shift, windows that cannot be met, and more total work than the fleet's shifts hold.
    public func diagnose() -> [Diagnosis] {
        var found: [Diagnosis] = []
        let n = locationCount
        if travelTime.count != n * n || distance.count != n * n {
            found.append(.invalidInput("matrices must have \(n * n) entries for \(n) locations"))
            return found
        }
        for (name, loc) in [("depot", depot), ("facility", facility)] where loc < 0 || loc >= n {
            found.append(.invalidInput("\(name) location \(loc) is outside 0..<\(n)"))
        }
        for (s, stop) in stops.enumerated() where stop.location < 0 || stop.location >= n {
            found.append(.invalidInput("stop \(s) location \(stop.location) is outside 0..<\(n)"))
        }
        if fleet.trucks <= 0 { found.append(.invalidInput("the fleet has no trucks")) }
        if !(fleet.capacity > 0) { found.append(.invalidInput("truck capacity must be positive")) }
        if !(fleet.shiftEnd > fleet.shiftStart) { found.append(.invalidInput("the shift ends before it starts")) }
        if let m = fleet.maxTripsPerTruck, m < 1 { found.append(.invalidInput("maxTripsPerTruck must be at least 1")) }
        guard found.isEmpty else { return found }

        let shift = fleet.shiftEnd - fleet.shiftStart
        let back = time(facility, depot)
        var totalDemand = 0.0
        var work = 0.0
        for (s, stop) in stops.enumerated() {
            totalDemand += stop.demand
            if stop.demand > fleet.capacity {
                found.append(.stopHeavierThanCapacity(stop: s, demand: stop.demand, capacity: fleet.capacity))
            }
            let there = time(depot, stop.location)
            let onward = time(stop.location, facility)
            if !there.isFinite || !onward.isFinite || !back.isFinite {
                found.append(.stopUnreachable(stop: s, location: stop.location))
                continue
            }
            let arrival = fleet.shiftStart + there
            var start = arrival
            if let window = stop.timeWindow {
                if arrival > window.latest {
                    found.append(.windowUnreachable(stop: s, earliestArrival: arrival, latest: window.latest))
                }
                start = max(arrival, window.earliest)
            }
            let end = start + stop.serviceTime + onward + fleet.unloadTime + back
            if end > fleet.shiftEnd {
                found.append(.visitExceedsShift(stop: s, needed: end - fleet.shiftStart, available: shift))
            }
            // Each stop is entered once: its cheapest incoming arc bounds the travel from below.
            var cheapest = there
            let facilityStart = allowsMultipleTrips ? time(facility, stop.location) : there
            cheapest = min(cheapest, facilityStart)
            for other in stops where other.location != stop.location {
                cheapest = min(cheapest, time(other.location, stop.location))
            }
            work += cheapest + stop.serviceTime
        }
        if fleet.capacity > 0 && !stops.isEmpty {
            work += (totalDemand / fleet.capacity).rounded(.up) * fleet.unloadTime
        }
        let available = Double(fleet.trucks) * shift
        if work > available {
            found.append(.workExceedsFleet(needed: work, available: available))
        }
        if let m = fleet.maxTripsPerTruck {
            let carried = Double(fleet.trucks * m) * fleet.capacity
            if totalDemand > carried { found.append(.demandExceedsFleet(demand: totalDemand, fleetCapacity: carried)) }
        }
        return found
    }
}
