import Foundation
import GeoCore

/// What the route sheets and GPX files show, independent of the solver: built from a fresh `RunPlan` or
/// read back from a stored plan's GeoJSON (`RunPlan.geoJSON()`), so the server can print sheets for old plans.
public struct PlanSheet: Sendable {
    public struct Stop: Sendable {
        public var order: Int
        public var arrival: String
        public var pointId: String
        public var district: String
        public var bundles: Int
        public var weightKg: Double
        /// WGS84 lon/lat.
        public var position: Coordinate
    }
    public struct Trip: Sendable {
        public var departure: String
        public var facilityArrival: String
        public var loadKg: Double
        public var km: Double
        public var stops: [Stop]
        /// The road path in lon/lat.
        public var path: [Coordinate]
    }
    public struct Truck: Sendable {
        /// Numbered from 1, as on the sheets.
        public var number: Int
        public var trips: [Trip]
        public var returnTime: String
        public var returnKm: Double
        public var returnPath: [Coordinate]
        public var loadKg: Double { trips.reduce(0) { $0 + $1.loadKg } }
        public var km: Double { trips.reduce(returnKm) { $0 + $1.km } }
    }

    public var date: String
    public var depotName: String
    public var facilityName: String
    public var trucks: [Truck]

    /// A stored plan's GeoJSON could not be read.
    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String { "the stored plan is not a route plan GeoJSON document" }
    }

    /// Reads a plan back from `RunPlan.geoJSON()` output.
    public init(date: String, geoJSON: String) throws {
        guard let doc = try JSONSerialization.jsonObject(with: Data(geoJSON.utf8)) as? [String: Any],
              let features = doc["features"] as? [[String: Any]] else { throw Unreadable() }
        self.date = date; depotName = ""; facilityName = ""
        var trucks: [Int: Truck] = [:]
        func truck(_ n: Int) -> Truck { trucks[n] ?? Truck(number: n, trips: [], returnTime: "--:--", returnKm: 0, returnPath: []) }
        var stops: [Int: [Int: [Stop]]] = [:]
        for f in features {
            let p = f["properties"] as? [String: Any] ?? [:], g = f["geometry"] as? [String: Any] ?? [:]
            let coords = g["coordinates"] as? [Any] ?? []
            func point(_ a: Any?) -> Coordinate {
                let xy = (a as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
                return xy.count >= 2 ? Coordinate(x: xy[0], y: xy[1]) : Coordinate(x: .nan, y: .nan)
            }
            let num = { (k: String) in (p[k] as? NSNumber)?.doubleValue ?? 0 }, str = { (k: String) in p[k] as? String ?? "" }
            let n = Int(num("truck"))
            switch str("role") {
            case "depot": depotName = str("name")
            case "facility": facilityName = str("name")
            case "trip":
                var t = truck(n)
                let k = Int(num("trip"))
                while t.trips.count < k { t.trips.append(Trip(departure: "--:--", facilityArrival: "--:--", loadKg: 0, km: 0, stops: [], path: [])) }
                t.trips[k - 1] = Trip(departure: str("departure"), facilityArrival: str("facility_arrival"), loadKg: num("load_kg"),
                                      km: num("km"), stops: [], path: coords.map(point))
                trucks[n] = t
            case "stop":
                stops[n, default: [:]][Int(num("trip")), default: []].append(
                    Stop(order: Int(num("order")), arrival: str("arrival"), pointId: str("point_id"), district: str("district"),
                         bundles: Int(num("bundles")), weightKg: num("weight_kg"), position: point(coords)))
            case "return":
                var t = truck(n)
                t.returnTime = str("arrival"); t.returnPath = coords.map(point)
                t.returnKm = p["km"] != nil ? num("km") : Self.length(t.returnPath) / 1000
                trucks[n] = t
            default: break
            }
        }
        for (n, byTrip) in stops {
            var t = truck(n)
            for (k, list) in byTrip where k >= 1 && k <= t.trips.count { t.trips[k - 1].stops = list.sorted { $0.order < $1.order } }
            trucks[n] = t
        }
        self.trucks = trucks.values.sorted { $0.number < $1.number }
    }

    public init(date: String, depotName: String, facilityName: String, trucks: [Truck]) {
        self.date = date; self.depotName = depotName; self.facilityName = facilityName; self.trucks = trucks
    }

    /// Great-circle length of a lon/lat path in metres (for plans stored before the return leg carried its km).
    static func length(_ path: [Coordinate]) -> Double {
        zip(path, path.dropFirst()).reduce(0) { sum, ab in
            let (a, b) = ab, r = Double.pi / 180
            let dLat = (b.y - a.y) * r, dLon = (b.x - a.x) * r
            let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.y * r) * cos(b.y * r) * sin(dLon / 2) * sin(dLon / 2)
            return sum + 2 * 6_371_008.8 * asin(min(1, h.squareRoot()))
        }
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The truck numbered `number` (from 1), if the plan has it.
    public func truck(_ number: Int) -> Truck? { trucks.first { $0.number == number } }

    /// GPX 1.1 for one truck: stops as waypoints, one track segment per trip and one for the way back to the depot.
    public func gpx(_ truck: Truck) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"chizu\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
        for trip in truck.trips { for s in trip.stops {
            out += String(format: "<wpt lat=\"%.7f\" lon=\"%.7f\">", s.position.y, s.position.x)
                + "<name>\(s.order). \(Self.xml(s.pointId))</name><desc>\(Self.xml(s.district)) \(s.bundles)束 \(String(format: "%.1f", s.weightKg)) kg</desc></wpt>\n"
        } }
        out += "<trk><name>\(Self.xml("\(date) 車両\(truck.number)"))</name>\n"
        for path in truck.trips.map(\.path) + [truck.returnPath] {
            out += "<trkseg>" + path.map { String(format: "<trkpt lat=\"%.7f\" lon=\"%.7f\"/>", $0.y, $0.x) }.joined() + "</trkseg>\n"
        }
        return out + "</trk>\n</gpx>\n"
    }

    /// A printable route sheet in Japanese, one page per driver (車両); `only` limits it to some trucks.
    public func html(only: [Truck]? = nil) -> String {
        var out = """
            <!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>草木類収集 運行表 \(Self.xml(date))</title>
            <style>body{font-family:sans-serif;font-size:11pt}section{page-break-after:always}table{border-collapse:collapse;width:100%}
            th,td{border:1px solid #444;padding:2px 6px;text-align:left}td.n{text-align:right}h2{margin-bottom:4px}</style></head><body>

            """
        for truck in only ?? trucks {
            out += "<section><h1>草木類収集 運行表</h1><h2>収集日 \(Self.xml(date)) ・ 車両 \(truck.number)</h2>\n"
            out += "<p>出発 \(truck.trips.first?.departure ?? "--:--") 車庫（\(Self.xml(depotName))） → 帰着 \(truck.returnTime)・"
                + "\(truck.trips.count) 便・合計 \(String(format: "%.1f", truck.loadKg)) kg・走行 \(String(format: "%.1f", truck.km)) km</p>\n"
            for (k, trip) in truck.trips.enumerated() {
                out += "<h3>第\(k + 1)便（出発 \(trip.departure)、\(trip.stops.count) 地点、\(String(format: "%.1f", trip.loadKg)) kg）</h3>\n"
                out += "<table><tr><th>順番</th><th>到着予定</th><th>地点番号</th><th>地区</th><th>束数</th><th>推定重量 (kg)</th><th>確認</th></tr>\n"
                for s in trip.stops {
                    out += "<tr><td class=n>\(s.order)</td><td>\(s.arrival)</td><td>\(Self.xml(s.pointId))</td><td>\(Self.xml(s.district))</td>"
                        + "<td class=n>\(s.bundles)</td><td class=n>\(String(format: "%.1f", s.weightKg))</td><td></td></tr>\n"
                }
                out += "</table>\n<p>→ \(Self.xml(facilityName)) 到着 \(trip.facilityArrival)・荷下ろし</p>\n"
            }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }
}
