import Foundation
import GeoCore
import Routing

/// A solved day: the instance, the solution and the road paths of each trip, ready to write out.
public struct RunPlan: Sendable {
    public let date: String
    public let instance: DayInstance
    public let solution: RoutingSolution
    /// Per truck, per trip, the road path in WGS84 lon/lat (depot or facility → stops → facility).
    public let tripPaths: [[[Coordinate]]]
    /// Per truck, the path from the facility back to the depot (lon/lat).
    public let returnPaths: [[Coordinate]]

    /// Draws every trip along the roads (needs a matrix with kept paths).
    public init(date: String, instance: DayInstance, solution: RoutingSolution) throws {
        self.date = date; self.instance = instance; self.solution = solution
        let toLonLat = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
        var trips: [[[Coordinate]]] = [], returns: [[Coordinate]] = []
        for truck in solution.trucks {
            var mine: [[Coordinate]] = []
            for (k, trip) in truck.trips.enumerated() {
                let locations = [k == 0 ? 0 : 1] + trip.stops.map { instance.pointLocations[$0] } + [1]
                var line: [Coordinate] = []
                for (a, b) in zip(locations, locations.dropFirst()) {
                    for c in instance.matrix.path(from: a, to: b, in: instance.graph) where line.last != c { line.append(c) }
                }
                mine.append(try toLonLat.transform(line))
            }
            trips.append(mine)
            returns.append(try toLonLat.transform(instance.matrix.path(from: 1, to: 0, in: instance.graph)))
        }
        tripPaths = trips; returnPaths = returns
    }

    func lonLat(_ c: Coordinate) -> Coordinate { (try? CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84).transform(c)) ?? c }

    /// "HH:MM" for seconds of the day.
    static func clock(_ s: Double) -> String {
        guard s.isFinite else { return "--:--" }
        let m = Int((s / 60).rounded())
        return String(format: "%02d:%02d", m / 60, m % 60)
    }

    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func coord(_ c: Coordinate) -> String { String(format: "[%.7f,%.7f]", c.x, c.y) }

    /// Per-truck summary rows: trips, stops, load (kg), distance (km), hours.
    public var summaryRows: [(truck: Int, trips: Int, stops: Int, loadKg: Double, km: Double, hours: Double)] {
        solution.trucks.map { t in
            (t.truck + 1, t.trips.count, t.trips.reduce(0) { $0 + $1.visits.count }, t.trips.reduce(0) { $0 + $1.load },
             t.distance / 1000, t.time / 3600)
        }
    }

    /// GeoJSON (RFC 7946): depot and facility, the stops in visiting order, one road-following LineString per trip.
    public func geoJSON() -> String {
        var features: [String] = []
        for (f, role) in [(instance.depot, "depot"), (instance.facility, "facility")] {
            features.append("{\"type\":\"Feature\",\"properties\":{\"role\":\"\(role)\",\"name\":\(Self.json(f.name))},"
                            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":\(Self.coord(lonLat(f.position)))}}")
        }
        for (ti, truck) in solution.trucks.enumerated() {
            var order = 0
            for (k, trip) in truck.trips.enumerated() {
                let props = "\"role\":\"trip\",\"truck\":\(truck.truck + 1),\"trip\":\(k + 1),\"stops\":\(trip.visits.count),"
                    + String(format: "\"load_kg\":%.1f,\"km\":%.2f,", trip.load, trip.distance / 1000)
                    + "\"departure\":\"\(Self.clock(trip.departure))\",\"facility_arrival\":\"\(Self.clock(trip.facilityArrival))\""
                let coords = tripPaths[ti][k].map(Self.coord).joined(separator: ",")
                features.append("{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[\(coords)]}}")
                for v in trip.visits {
                    order += 1
                    let p = instance.points[v.stop]
                    let props = "\"role\":\"stop\",\"truck\":\(truck.truck + 1),\"trip\":\(k + 1),\"order\":\(order),"
                        + "\"point_id\":\(Self.json(p.id)),\"district\":\(Self.json(p.district)),"
                        + String(format: "\"weight_kg\":%.1f,", p.weightKg) + "\"bundles\":\(p.bundles),\"arrival\":\"\(Self.clock(v.arrival))\""
                    features.append("{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":{\"type\":\"Point\",\"coordinates\":\(Self.coord(lonLat(p.position)))}}")
                }
            }
            let coords = returnPaths[ti].map(Self.coord).joined(separator: ",")
            features.append("{\"type\":\"Feature\",\"properties\":{\"role\":\"return\",\"truck\":\(truck.truck + 1),\"arrival\":\"\(Self.clock(truck.returnTime))\","
                            + String(format: "\"km\":%.2f},", returnKm(truck))
                            + "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[\(coords)]}}")
        }
        return "{\"type\":\"FeatureCollection\",\"name\":\(Self.json("yard-waste runs \(date)")),\"features\":[\n"
            + features.joined(separator: ",\n") + "\n]}\n"
    }

    /// The sheets' view of this plan (route sheets and GPX).
    public var sheet: PlanSheet {
        let trucks = solution.trucks.enumerated().map { ti, truck in
            var order = 0
            let trips = truck.trips.enumerated().map { k, trip in
                PlanSheet.Trip(departure: Self.clock(trip.departure), facilityArrival: Self.clock(trip.facilityArrival), loadKg: trip.load,
                               km: trip.distance / 1000, stops: trip.visits.map { v in
                    order += 1
                    let p = instance.points[v.stop]
                    return PlanSheet.Stop(order: order, arrival: Self.clock(v.arrival), pointId: p.id, district: p.district,
                                          bundles: p.bundles, weightKg: p.weightKg, position: lonLat(p.position))
                }, path: tripPaths[ti][k])
            }
            return PlanSheet.Truck(number: truck.truck + 1, trips: trips, returnTime: Self.clock(truck.returnTime),
                                   returnKm: returnKm(truck), returnPath: returnPaths[ti])
        }
        return PlanSheet(date: date, depotName: instance.depot.name, facilityName: instance.facility.name, trucks: trucks)
    }

    func returnKm(_ truck: TruckPlan) -> Double { max(0, truck.distance - truck.trips.reduce(0) { $0 + $1.distance }) / 1000 }

    /// GPX 1.1 for one truck (index into `solution.trucks`): stops as waypoints, one track segment per trip.
    public func gpx(truckIndex ti: Int) -> String {
        let sheet = sheet
        return sheet.gpx(sheet.trucks[ti])
    }

    /// CSV, one row per stop in visiting order.
    public func csv() -> String {
        var rows = ["truck,trip,order,point_id,district,weight_kg,bundles,arrival,service_start,lon,lat"]
        for truck in solution.trucks {
            var order = 0
            for (k, trip) in truck.trips.enumerated() { for v in trip.visits {
                order += 1
                let p = instance.points[v.stop], c = lonLat(p.position)
                let district = p.district.contains(",") || p.district.contains("\"") ? Self.json(p.district) : p.district
                rows.append("\(truck.truck + 1),\(k + 1),\(order),\(p.id),\(district),\(String(format: "%.1f", p.weightKg)),\(p.bundles),"
                            + "\(Self.clock(v.arrival)),\(Self.clock(v.serviceStart)),\(String(format: "%.7f,%.7f", c.x, c.y))")
            } }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// A printable route sheet in Japanese, one page per driver (車両).
    public func html() -> String { sheet.html() }
}

extension RunPlan {
    /// A small JSON summary stored with the plan: date, totals and per-truck rows.
    public func summaryJSON() -> String {
        let trucks = summaryRows.map { r in
            String(format: "{\"truck\":%d,\"trips\":%d,\"stops\":%d,\"load_kg\":%.1f,\"km\":%.2f,\"hours\":%.2f}",
                   r.truck, r.trips, r.stops, r.loadKg, r.km, r.hours)
        }
        return "{\"date\":\(Self.json(date)),\"stops\":\(instance.points.count),\"off_road\":\(instance.offRoad.count),\"unreachable\":\(instance.unreachable.count),"
            + String(format: "\"km\":%.2f,\"hours\":%.2f,", solution.totalDistance / 1000, solution.totalTime / 3600)
            + "\"trucks\":[\(trucks.joined(separator: ","))]}"
    }
}
