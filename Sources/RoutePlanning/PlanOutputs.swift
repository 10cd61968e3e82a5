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
            features.append("{\"type\":\"Feature\",\"properties\":{\"role\":\"return\",\"truck\":\(truck.truck + 1),\"arrival\":\"\(Self.clock(truck.returnTime))\"},"
                            + "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[\(coords)]}}")
        }
        return "{\"type\":\"FeatureCollection\",\"name\":\(Self.json("yard-waste runs \(date)")),\"features\":[\n"
            + features.joined(separator: ",\n") + "\n]}\n"
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// GPX 1.1 for one truck (index into `solution.trucks`): stops as waypoints, one track segment per trip.
    public func gpx(truckIndex ti: Int) -> String {
        let truck = solution.trucks[ti]
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"chizu\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
        var order = 0
        for trip in truck.trips { for v in trip.visits {
            order += 1
            let p = instance.points[v.stop], c = lonLat(p.position)
            out += String(format: "<wpt lat=\"%.7f\" lon=\"%.7f\">", c.y, c.x)
                + "<name>\(order). \(Self.xml(p.id))</name><desc>\(Self.xml(p.district)) \(p.bundles)束 \(String(format: "%.1f", p.weightKg)) kg</desc></wpt>\n"
        } }
        out += "<trk><name>\(Self.xml("\(date) 車両\(truck.truck + 1)"))</name>\n"
        for path in tripPaths[ti] + [returnPaths[ti]] {
            out += "<trkseg>" + path.map { String(format: "<trkpt lat=\"%.7f\" lon=\"%.7f\"/>", $0.y, $0.x) }.joined() + "</trkseg>\n"
        }
        return out + "</trk>\n</gpx>\n"
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
    public func html() -> String {
        var out = """
            <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>草木類収集 運行表 \(Self.xml(date))</title>
            <style>body{font-family:sans-serif;font-size:11pt}section{page-break-after:always}table{border-collapse:collapse;width:100%}
            th,td{border:1px solid #444;padding:2px 6px;text-align:left}td.n{text-align:right}h2{margin-bottom:4px}</style></head><body>

            """
        for truck in solution.trucks {
            let load = truck.trips.reduce(0) { $0 + $1.load }
            out += "<section><h1>草木類収集 運行表</h1><h2>収集日 \(Self.xml(date)) ・ 車両 \(truck.truck + 1)</h2>\n"
            out += "<p>出発 \(Self.clock(truck.trips.first?.departure ?? 0)) 車庫（\(Self.xml(instance.depot.name))） → 帰着 \(Self.clock(truck.returnTime))・"
                + "\(truck.trips.count) 便・合計 \(String(format: "%.1f", load)) kg・走行 \(String(format: "%.1f", truck.distance / 1000)) km</p>\n"
            var order = 0
            for (k, trip) in truck.trips.enumerated() {
                out += "<h3>第\(k + 1)便（出発 \(Self.clock(trip.departure))、\(trip.visits.count) 地点、\(String(format: "%.1f", trip.load)) kg）</h3>\n"
                out += "<table><tr><th>順番</th><th>到着予定</th><th>地点番号</th><th>地区</th><th>束数</th><th>推定重量 (kg)</th><th>確認</th></tr>\n"
                for v in trip.visits {
                    order += 1
                    let p = instance.points[v.stop]
                    out += "<tr><td class=n>\(order)</td><td>\(Self.clock(v.arrival))</td><td>\(Self.xml(p.id))</td><td>\(Self.xml(p.district))</td>"
                        + "<td class=n>\(p.bundles)</td><td class=n>\(String(format: "%.1f", p.weightKg))</td><td></td></tr>\n"
                }
                out += "</table>\n<p>→ \(Self.xml(instance.facility.name)) 到着 \(Self.clock(trip.facilityArrival))・荷下ろし</p>\n"
            }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }
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
