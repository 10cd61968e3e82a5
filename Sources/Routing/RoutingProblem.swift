/// A window [earliest, latest] in seconds of the day within which service at a stop must start.
public struct TimeWindow: Sendable, Hashable {
    /// Earliest service start (s); arriving earlier means waiting.
    public var earliest: Double
    /// Latest service start (s); arriving later is infeasible.
    public var latest: Double

    public init(earliest: Double, latest: Double) {
        self.earliest = earliest
        self.latest = latest
    }
}

/// A pickup point (収集地点) to visit once: where it is, how heavy, how long the crew spends there.
public struct Stop: Sendable, Hashable {
    /// Index of the stop's location in the problem's matrices.
    public var location: Int
    /// Weight to collect (kg).
    public var demand: Double
    /// Time spent at the stop (s).
    public var serviceTime: Double
    /// When service may start; nil means any time within the shift.
    public var timeWindow: TimeWindow?

    public init(location: Int, demand: Double, serviceTime: Double = 0, timeWindow: TimeWindow? = nil) {
        self.location = location
        self.demand = demand
        self.serviceTime = serviceTime
        self.timeWindow = timeWindow
    }

    /// Service time made of a fixed part per stop plus a part per bundle (束).
    public static func serviceTime(fixed: Double, perBundle: Double, bundles: Int) -> Double {
        fixed + perBundle * Double(bundles)
    }
}

/// Identical collection trucks working one shift.
public struct Fleet: Sendable, Hashable {
    /// Number of trucks available.
    public var trucks: Int
    /// Load a truck carries per trip (kg).
    public var capacity: Double
    /// Shift start, seconds of the day; trucks leave the depot no earlier.
    public var shiftStart: Double
    /// Shift end, seconds of the day; trucks are back at the depot no later. May be `.infinity`.
    public var shiftEnd: Double
    /// Time to unload at the recycling facility at the end of every trip (s).
    public var unloadTime: Double
    /// Upper bound on trips per truck; nil means as many as fit in the shift.
    public var maxTripsPerTruck: Int?

    public init(trucks: Int, capacity: Double, shiftStart: Double, shiftEnd: Double,
                unloadTime: Double = 0, maxTripsPerTruck: Int? = nil) {
        self.trucks = trucks
        self.capacity = capacity
        self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd
        self.unloadTime = unloadTime
        self.maxTripsPerTruck = maxTripsPerTruck
    }
}

/// Weights of the objective: cost = time × total seconds + distance × total metres.
public struct ObjectiveWeights: Sendable, Hashable {
    /// Cost per second of truck time (travel, service, unloading, waiting).
    public var time: Double
    /// Cost per metre driven.
    public var distance: Double

    public init(time: Double, distance: Double) {
        self.time = time
        self.distance = distance
    }

    /// Minimise total time, breaking ties by distance (10 km weigh as much as one second).
    public static let timeThenDistance = ObjectiveWeights(time: 1, distance: 1e-4)
    /// Minimise distance only, as in the CVRPLIB benchmarks.
    public static let distanceOnly = ObjectiveWeights(time: 0, distance: 1)
}

/// A yard-waste (草木類) collection problem: matrices between locations, stops, a fleet and an objective.
///
/// Semantics: a truck leaves the depot (車庫) at or after shift start and makes one or more trips; each trip
/// visits stops and ends at the recycling facility (資源化施設), where the truck unloads. After its last trip the
/// truck drives from the facility back to the depot, arriving by shift end. Capacity applies per trip.
public struct RoutingProblem: Sendable {
    /// Name for reports (e.g. a CVRPLIB instance name or a run date).
    public var name: String
    /// Number of locations; matrices are `locationCount × locationCount`.
    public var locationCount: Int
    /// Travel time (s), row-major: `travelTime[from * locationCount + to]`; `.infinity` means unreachable.
    public var travelTime: [Double]
    /// Road distance (m), row-major like `travelTime`.
    public var distance: [Double]
    /// Location of the depot where trucks start and end the shift.
    public var depot: Int
    /// Location of the facility where trucks unload after every trip; may equal `depot`.
    public var facility: Int
    /// Stops to visit, each exactly once.
    public var stops: [Stop]
    /// The trucks.
    public var fleet: Fleet
    /// What "best" means.
    public var objective: ObjectiveWeights

    public init(name: String = "", locationCount: Int, travelTime: [Double], distance: [Double],
                depot: Int, facility: Int, stops: [Stop], fleet: Fleet,
                objective: ObjectiveWeights = .timeThenDistance) {
        self.name = name
        self.locationCount = locationCount
        self.travelTime = travelTime
        self.distance = distance
        self.depot = depot
        self.facility = facility
        self.stops = stops
        self.fleet = fleet
        self.objective = objective
    }

    /// Travel time from one location to another (s).
    @inlinable public func time(_ from: Int, _ to: Int) -> Double { travelTime[from * locationCount + to] }
    /// Road distance from one location to another (m).
    @inlinable public func metres(_ from: Int, _ to: Int) -> Double { distance[from * locationCount + to] }

    /// True when trucks may make more than one trip.
    public var allowsMultipleTrips: Bool { (fleet.maxTripsPerTruck ?? Int.max) > 1 }
}
