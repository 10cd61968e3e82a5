import Foundation
import GeoCore
import Layers
import Routing

/// One day's collection problem over the road network: the graph, the places snapped onto it (depot, facility,
/// then the stops) and the travel matrices among them.
public struct DayInstance: Sendable {
    public let graph: RoadGraph
    public let depot: Facility
    public let facility: Facility
    /// Points planned (snapped and reachable), in stop order.
    public let points: [PickupPoint]
    /// Matrix location of each planned point (depot is 0, facility 1).
    public let pointLocations: [Int]
    /// Points left out because no usable road is near, with the distance to the nearest one searched.
    public let offRoad: [(point: PickupPoint, nearest: Double?)]
    /// Points left out because the truck cannot drive depot → point → facility (one-way traps, cut-off roads).
    public let unreachable: [PickupPoint]
    public let places: [SnappedPoint]
    public let matrix: TravelMatrix
    public let settings: RoutingSettings

    /// Builds the graph from `segments`, snaps depot, facility and `points`, and computes the matrices.
    public init(segments: [RoadSegment], facilities: [Facility], points: [PickupPoint], settings: RoutingSettings,
                keepPaths: Bool = true) throws {
        guard let depot = facilities.first(where: { $0.kind == "車庫" }) else { throw RoutePlanningError.facilityMissing(kind: "車庫") }
        guard let facility = facilities.first(where: { $0.kind == "資源化施設" }) else {
            throw RoutePlanningError.facilityMissing(kind: "資源化施設")
        }
        let profile = GraphProfile(settings)
        let graph = RoadGraph(segments: segments, profile: profile)
        let snapper = RoadSnapper(graph: graph, maxDistance: profile.maxSnapDistanceM)
        var places: [SnappedPoint] = []
        for (what, f) in [("depot \(depot.name)", depot), ("facility \(facility.name)", facility)] {
            switch snapper.snap(f.position) {
            case .snapped(let p): places.append(p)
            case .tooFar(let d): throw RoutePlanningError.placeOffRoad(what: what, distance: d)
            }
        }
        var planned: [PickupPoint] = [], offRoad: [(PickupPoint, Double?)] = []
        for p in points {
            switch snapper.snap(p.position) {
            case .snapped(let s): places.append(s); planned.append(p)
            case .tooFar(let d): offRoad.append((p, d))
            }
        }
        let matrix = TravelMatrix(graph: graph, places: places, kerbPenaltyS: profile.kerbPenaltyS, keepPaths: keepPaths)
        let n = places.count
        var reachable: [PickupPoint] = [], locations: [Int] = [], unreachable: [PickupPoint] = []
        for (k, p) in planned.enumerated() {
            let loc = k + 2
            if matrix.time[loc].isFinite && matrix.time[n + loc].isFinite && matrix.time[loc * n + 1].isFinite {
                reachable.append(p); locations.append(loc)
            } else {
                unreachable.append(p)
            }
        }
        self.graph = graph; self.depot = depot; self.facility = facility; self.points = reachable
        self.pointLocations = locations; self.unreachable = unreachable
        self.offRoad = offRoad; self.places = places; self.settings = settings; self.matrix = matrix
    }

    /// The routing problem for a fleet: stops with their weight and service time (fixed + per bundle).
    public func problem(name: String, fleet: Fleet) -> RoutingProblem {
        let stops = points.enumerated().map { k, p in
            Stop(location: pointLocations[k], demand: p.weightKg,
                 serviceTime: Stop.serviceTime(fixed: settings.serviceFixedS, perBundle: settings.servicePerBundleS,
                                               bundles: p.bundles))
        }
        return RoutingProblem(name: name, locationCount: places.count, travelTime: matrix.time, distance: matrix.distance,
                              depot: 0, facility: 1, stops: stops, fleet: fleet)
    }

    /// Lines reporting the graph and what could not be planned.
    public var report: String {
        var lines = [graph.report]
        for (p, d) in offRoad {
            lines.append("  off road: \(p.id) is \(d.map { "\(Int($0.rounded())) m" } ?? "too far") from a usable road; not planned")
        }
        for p in unreachable {
            lines.append("  unreachable: \(p.id) cannot be reached from the depot or cannot reach the facility by the truck's roads; not planned")
        }
        return lines.joined(separator: "\n")
    }
}
