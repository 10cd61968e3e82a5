import Foundation

/// The whole routing problem in a plain JSON form for reference solvers that model multiple trips
/// (PyVRP's reload depots), and back: node 0 is the depot, node 1 the recycling facility, node k + 2
/// stop k. Times are whole seconds, distances whole metres and demands whole kg (rounded up), so a
/// reference solver and Chizu solve exactly the same numbers.
public struct ReferenceInstance: Codable, Sendable, Equatable {
    public var name: String
    /// travel_time[i][j], seconds.
    public var travelTime: [[Int]]
    /// distance[i][j], metres.
    public var distance: [[Int]]
    /// Per stop (node k + 2): kg collected.
    public var demands: [Int]
    /// Per stop: service time, seconds.
    public var serviceTimes: [Int]
    public var trucks: Int
    public var capacity: Int
    /// Shift start and end, seconds of the day (end nil: no limit).
    public var shiftStart: Int
    public var shiftEnd: Int?
    /// Unloading time at the facility after every trip, seconds.
    public var unloadTime: Int

    enum CodingKeys: String, CodingKey {
        case name, travelTime = "travel_time", distance, demands, serviceTimes = "service_times", trucks, capacity
        case shiftStart = "shift_start", shiftEnd = "shift_end", unloadTime = "unload_time"
    }

    /// An unreachable pair (no road) as a number every solver can add up without overflow.
    public static let unreachable = 99_999_999

    public init(_ problem: RoutingProblem) {
        let nodes = [problem.depot, problem.facility] + problem.stops.map(\.location)
        func whole(_ v: Double) -> Int { v.isFinite ? Int(v.rounded()) : Self.unreachable }
        name = problem.name
        travelTime = nodes.map { i in nodes.map { j in i == j ? 0 : whole(problem.time(i, j)) } }
        distance = nodes.map { i in nodes.map { j in i == j ? 0 : whole(problem.metres(i, j)) } }
        demands = problem.stops.map { Int($0.demand.rounded(.up)) }
        serviceTimes = problem.stops.map { Int($0.serviceTime.rounded()) }
        trucks = problem.fleet.trucks
        capacity = Int(problem.fleet.capacity.rounded(.down))
        shiftStart = Int(problem.fleet.shiftStart.rounded())
        shiftEnd = problem.fleet.shiftEnd.isFinite ? Int(problem.fleet.shiftEnd.rounded()) : nil
        unloadTime = Int(problem.fleet.unloadTime.rounded())
    }

    /// Checks the shape: square matrices over depot, facility and every stop; non-negative numbers.
    public func validated() throws -> ReferenceInstance {
        let n = demands.count + 2
        func bad(_ why: String) -> any Error { CVRPLIBError.unsupported(path: name, what: why) }
        guard serviceTimes.count == demands.count else { throw bad("service_times must have one entry per stop") }
        guard travelTime.count == n, travelTime.allSatisfy({ $0.count == n }), distance.count == n, distance.allSatisfy({ $0.count == n })
        else { throw bad("travel_time and distance must be \(n)×\(n) (depot, facility, \(demands.count) stops)") }
        guard trucks >= 1, capacity > 0, unloadTime >= 0, demands.allSatisfy({ $0 >= 0 }), serviceTimes.allSatisfy({ $0 >= 0 }),
              travelTime.joined().allSatisfy({ $0 >= 0 }), distance.joined().allSatisfy({ $0 >= 0 })
        else { throw bad("negative numbers, no trucks or no capacity") }
        if let end = shiftEnd, end <= shiftStart { throw bad("shift_end before shift_start") }
        return self
    }

    /// As Chizu's routing problem (multiple trips, time then distance).
    public var problem: RoutingProblem {
        let n = demands.count + 2
        let stops = demands.indices.map { Stop(location: $0 + 2, demand: Double(demands[$0]), serviceTime: Double(serviceTimes[$0])) }
        let fleet = Fleet(trucks: trucks, capacity: Double(capacity), shiftStart: Double(shiftStart),
                          shiftEnd: shiftEnd.map(Double.init) ?? .infinity, unloadTime: Double(unloadTime))
        return RoutingProblem(name: name, locationCount: n, travelTime: travelTime.joined().map(Double.init),
                              distance: distance.joined().map(Double.init), depot: 0, facility: 1, stops: stops, fleet: fleet)
    }

    /// A solution as JSON: per truck, its trips as lists of stop numbers (0-based, node = stop + 2),
    /// with Chizu's own totals.
    public static func solutionJSON(_ s: RoutingSolution) -> String {
        let trucks = s.trucks.map { t in "[" + t.trips.map { "[" + $0.stops.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]" }
        return "{\"trucks\":[\(trucks.joined(separator: ","))],\"total_time\":\(s.totalTime),\"total_distance\":\(s.totalDistance),"
            + "\"feasible\":\(s.isFeasible)}\n"
    }
}
