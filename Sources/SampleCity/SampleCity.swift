import CGDAL
import Foundation
import GeoCore

/// What to generate.
public struct SampleCityOptions: Sendable {
    /// K×K towns side by side (K = 1: one town inside Isehara's real boundary).
    public var scale: Int
    public var seed: UInt64
    /// Isehara's boundary as GeoJSON in EPSG:6677 ([easting, northing]).
    public var boundaryPath: String

    public init(scale: Int = 1, seed: UInt64 = 1, boundaryPath: String) {
        self.scale = scale; self.seed = seed; self.boundaryPath = boundaryPath
    }

    /// `../shared/data/real/n03-isehara/isehara_N03_2019_epsg6677.geojson`, looked for from the
    /// current directory and from the executable's repository.
    public static func defaultBoundaryPath() -> String? {
        let rel = "../shared/data/real/n03-isehara/isehara_N03_2019_epsg6677.geojson"
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(rel)]
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<5 { exe.deleteLastPathComponent(); candidates.append(exe.appendingPathComponent(rel)) }
        return candidates.map(\.standardizedFileURL.path).first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// Counts of what was written, per file.
public struct SampleCitySummary: Sendable, CustomStringConvertible {
    public var counts: [(file: String, features: Int)] = []
    public var description: String { counts.map { "\($0.file): \($0.features)" }.joined(separator: ", ") }
    public func count(_ file: String) -> Int { counts.first { $0.file == file }?.features ?? 0 }
}

/// Writes an Isehara-like sample city into `directory`, the way municipal systems export it:
/// roads and sewer pipes as Shapefiles (CP932 DBF, `.prj` for EPSG:6677, Japanese column names),
/// manholes as CP932 CSV with survey X (northing) / Y (easting), rain-gauge sites (UTF-8 with BOM)
/// and three days of 10-minute readings with a storm and `///`/`欠測` gaps, camera sites as CP932 CSV
/// with lat/lon, yard-waste pickup points and the depot/recycling facility as RFC 7946 GeoJSON.
/// The same options always give the same bytes.
public func generateSampleCity(options: SampleCityOptions, to directory: URL,
                               progress: (String) -> Void = { _ in }) throws -> SampleCitySummary {
    var city = try SampleCityBuilder(options: options)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    progress("streets")
    city.buildStreets()
    progress("sewers")
    city.buildSewers()
    var summary = SampleCitySummary()
    progress("roads.shp")
    summary.counts.append(("roads.shp", try city.writeRoads(directory)))
    progress("sewer_pipes.shp")
    summary.counts.append(("sewer_pipes.shp", try city.writePipes(directory)))
    progress("manholes.csv")
    summary.counts.append(("manholes.csv", try city.writeManholes(directory)))
    progress("rain gauges")
    summary.counts.append(("rain_gauges.csv", try city.writeGauges(directory)))
    summary.counts.append(("rain_readings.csv", try city.writeReadings(directory)))
    progress("cameras.csv")
    summary.counts.append(("cameras.csv", try city.writeCameras(directory)))
    progress("yard_waste_points.geojson")
    summary.counts.append(("yard_waste_points.geojson", try city.writeYardWaste(directory)))
    summary.counts.append(("facilities.geojson", try city.writeFacilities(directory)))
    try city.writeReadme(directory, summary)
    return summary
}

/// The generator's state: one town generated inside the boundary, then laid out K×K.
struct SampleCityBuilder {
    let options: SampleCityOptions
    var rng: SeededRandom
    let boundary: PreparedGeometry
    let box: BoundingBox
    let cityHall = Coordinate(x: -47083, y: -66116)
    let station: Coordinate
    let toLonLat: CoordinateTransformer

    var nodes: [Coordinate] = []
    var edges: [RoadEdge] = []
    /// Node index → manhole index, and the pipes (edge index, upstream manhole, downstream manhole).
    var manholeOfNode: [Int: Int] = [:]
    var manholes: [(node: Int, ground: Double, depth: Double)] = []
    var pipes: [(edge: Int, up: Int, down: Int)] = []
    /// For scale tests: the offset of each town copy.
    var offsets: [Coordinate] = []

    init(options: SampleCityOptions) throws {
        self.options = options
        rng = SeededRandom(seed: options.seed)
        guard let data = FileManager.default.contents(atPath: options.boundaryPath) else {
            throw SampleCityError(message: "\(options.boundaryPath): cannot read the city boundary; pass --boundary PATH")
        }
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = json["features"] as? [[String: Any]], let geom = features.first?["geometry"] as? [String: Any] else {
            throw SampleCityError(message: "\(options.boundaryPath): not a GeoJSON FeatureCollection with a boundary polygon")
        }
        let polygon = try Geometry(geoJSONObject: geom)
        boundary = try PreparedGeometry(polygon)
        guard let b = polygon.boundingBox else { throw SampleCityError(message: "\(options.boundaryPath): empty boundary") }
        box = b
        toLonLat = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
        station = try CoordinateTransformer.between(.wgs84, .jgd2011ZoneIX).transform(Coordinate(x: 139.3134, y: 35.4026))
    }

    // MARK: Streets

    mutating func buildStreets() {
        var generator = RoadNetworkGenerator(boundary: boundary, box: box, centres: [cityHall, station], rng: rng)
        let town = generator.generate(targetSegments: 6900)
        rng = generator.rng
        var townEdges = town.edges
        assignArterials(nodes: town.nodes, edges: &townEdges)
        assignAttributes(nodes: town.nodes, edges: &townEdges)
        // Lay out K×K copies, joined by arterial links between neighbouring towns.
        let k = options.scale
        let gap = 600.0
        for j in 0..<k { for i in 0..<k {
            let off = Coordinate(x: Double(i) * (box.width + gap), y: Double(j) * (box.height + gap))
            offsets.append(off)
            let base = nodes.count
            nodes += town.nodes.map { Coordinate(x: $0.x + off.x, y: $0.y + off.y) }
            edges += townEdges.map { e in
                var e = e
                e.a += base; e.b += base
                e.bends = e.bends.map { Coordinate(x: $0.x + off.x, y: $0.y + off.y) }
                return e
            }
        } }
        let n = town.nodes.count
        let east = town.nodes.indices.max { town.nodes[$0].x < town.nodes[$1].x }!
        let west = town.nodes.indices.min { town.nodes[$0].x < town.nodes[$1].x }!
        let north = town.nodes.indices.max { town.nodes[$0].y < town.nodes[$1].y }!
        let south = town.nodes.indices.min { town.nodes[$0].y < town.nodes[$1].y }!
        var link = 0
        for j in 0..<k { for i in 0..<k {
            let c = j * k + i
            if i + 1 < k {
                link += 1
                edges.append(RoadEdge(a: c * n + east, b: (c + 1) * n + west, arterial: 1, route: String(format: "1-9%02d", link),
                                      routeName: "広域連絡線\(link)号", width: 12))
            }
            if j + 1 < k {
                link += 1
                edges.append(RoadEdge(a: c * n + north, b: (c + k) * n + south, arterial: 1, route: String(format: "1-9%02d", link),
                                      routeName: "広域連絡線\(link)号", width: 12))
            }
        } }
    }

    /// Arterial routes: shortest paths across town through the centres.
    mutating func assignArterials(nodes: [Coordinate], edges: inout [RoadEdge]) {
        var adjacency = [[(Int, Int)]](repeating: [], count: nodes.count)
        for (k, e) in edges.enumerated() { adjacency[e.a].append((e.b, k)); adjacency[e.b].append((e.a, k)) }
        func nearest(_ c: Coordinate) -> Int {
            nodes.indices.filter { !adjacency[$0].isEmpty }.min { hypot(nodes[$0].x - c.x, nodes[$0].y - c.y) < hypot(nodes[$1].x - c.x, nodes[$1].y - c.y) }!
        }
        func path(_ s: Int, _ t: Int) -> [Int] {
            var dist = [Double](repeating: .infinity, count: nodes.count)
            var via = [Int](repeating: -1, count: nodes.count)
            var heap = [(0.0, s)]
            dist[s] = 0
            while let (d, u) = heap.popLast() {
                if u == t { break }
                if d > dist[u] { continue }
                for (v, k) in adjacency[u] {
                    // Prefer straight, long edges: arterials run through, not around.
                    let w = hypot(nodes[u].x - nodes[v].x, nodes[u].y - nodes[v].y) * (edges[k].arterial > 0 ? 0.7 : 1)
                    if d + w < dist[v] {
                        dist[v] = d + w; via[v] = k
                        let item = (d + w, v)
                        let at = heap.firstIndex { $0.0 < item.0 } ?? heap.count
                        heap.insert(item, at: at)
                    }
                }
            }
            var out: [Int] = []
            var v = t
            while v != s, via[v] >= 0 { out.append(via[v]); let e = edges[via[v]]; v = e.a == v ? e.b : e.a }
            return out
        }
        let b = box
        func at(_ fx: Double, _ fy: Double) -> Coordinate { Coordinate(x: b.minX + b.width * fx, y: b.minY + b.height * fy) }
        let routes: [(Coordinate, Coordinate, Int, String)] = [
            (at(0.15, 0.8), at(0.95, 0.2), 1, "伊勢原大山線"),
            (at(0.5, 0.95), at(0.55, 0.05), 1, "伊勢原秦野線"),
            (at(0.05, 0.45), at(0.98, 0.5), 1, "伊勢原藤沢線"),
            (at(0.3, 0.2), at(0.9, 0.85), 2, "上粕屋石田線"),
            (at(0.6, 0.9), at(0.95, 0.6), 2, "成瀬串橋線"),
            (at(0.35, 0.6), at(0.7, 0.3), 2, "比々多三ノ宮線"),
            (at(0.75, 0.05), at(0.8, 0.95), 2, "高部屋白根線"),
            (at(0.2, 0.35), at(0.6, 0.6), 2, "大田東大竹線"),
        ]
        for (r, (from, to, cls, name)) in routes.enumerated() {
            let via = [cityHall, station][r % 2]
            let p = path(nearest(from), nearest(via)) + path(nearest(via), nearest(to))
            for k in p where edges[k].arterial == 0 || edges[k].arterial > cls {
                edges[k].arterial = cls
                edges[k].route = String(format: "%d-%03d", cls, r + 1)
                edges[k].routeName = name
                edges[k].width = cls == 1 ? rng.range(9, 16) : rng.range(6.5, 9)
            }
        }
    }

    static let districts: [(String, Double, Double)] = [
        ("伊勢原", 0.62, 0.62), ("成瀬", 0.85, 0.45), ("比々多", 0.5, 0.25), ("高部屋", 0.45, 0.65), ("大山", 0.15, 0.75), ("大田", 0.8, 0.15),
    ]

    func district(of c: Coordinate) -> String {
        Self.districts.min { a, b in
            hypot(box.minX + box.width * a.1 - c.x, box.minY + box.height * a.2 - c.y) < hypot(box.minX + box.width * b.1 - c.x, box.minY + box.height * b.2 - c.y)
        }!.0
    }

    /// Residential routes grouped by 500 m cells; widths with about 12% under 4 m.
    mutating func assignAttributes(nodes: [Coordinate], edges: inout [RoadEdge]) {
        var routeOfCell: [String: (String, String)] = [:]
        var counter: [String: Int] = [:]
        for k in edges.indices where edges[k].arterial == 0 {
            let a = nodes[edges[k].a], b = nodes[edges[k].b]
            let mid = Coordinate(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
            let cell = "\(Int((mid.x - box.minX) / 500)),\(Int((mid.y - box.minY) / 500))"
            if routeOfCell[cell] == nil {
                let d = district(of: mid)
                counter[d, default: 0] += 1
                routeOfCell[cell] = (String(format: "3-%04d", routeOfCell.count + 1), "\(d)\(counter[d]!)号線")
            }
            (edges[k].route, edges[k].routeName) = routeOfCell[cell]!
            let u = rng.unit()
            edges[k].width = u < 0.04 ? rng.range(2.4, 3.0) : u < 0.12 ? rng.range(3.0, 3.95) : rng.range(4.0, 7.5)
        }
    }

    // MARK: Sewers

    /// Pipes under the streets of the denser part of each town, manhole to manhole, flowing downhill.
    mutating func buildSewers() {
        let reach = 2300.0
        let centres = offsets.flatMap { o in [cityHall, station].map { Coordinate(x: $0.x + o.x, y: $0.y + o.y) } }
        func served(_ c: Coordinate) -> Bool { centres.contains { hypot($0.x - c.x, $0.y - c.y) < reach } }
        for (k, e) in edges.enumerated() where e.route.hasPrefix("1-9") == false && served(nodes[e.a]) && served(nodes[e.b]) {
            let ma = manhole(for: e.a), mb = manhole(for: e.b)
            let (up, down) = manholes[ma].ground - manholes[ma].depth >= manholes[mb].ground - manholes[mb].depth ? (ma, mb) : (mb, ma)
            pipes.append((k, up, down))
        }
    }

    /// Ground height in metres T.P.: low in the south-east, rising to the hills in the north-west.
    func ground(_ c: Coordinate) -> Double {
        let o = offsets.last { $0.x <= c.x + 1 && $0.y <= c.y + 1 } ?? Coordinate(x: 0, y: 0)
        let fx = (c.x - o.x - box.minX) / box.width, fy = (c.y - o.y - box.minY) / box.height
        return 12 + 180 * max(0, 0.6 - fx) + 120 * max(0, fy - 0.4) + 8 * sin(c.x / 310) * cos(c.y / 270)
    }

    mutating func manhole(for node: Int) -> Int {
        if let m = manholeOfNode[node] { return m }
        manholes.append((node, ground(nodes[node]), rng.range(1.4, 4.2)))
        manholeOfNode[node] = manholes.count - 1
        return manholes.count - 1
    }

    func manholeId(_ m: Int) -> String { String(format: "MH-%06d", m + 1) }

    func polyline(_ e: RoadEdge) -> [Coordinate] { [nodes[e.a]] + e.bends + [nodes[e.b]] }

    static func length(_ cs: [Coordinate]) -> Double { zip(cs, cs.dropFirst()).reduce(0) { $0 + hypot($1.1.x - $1.0.x, $1.1.y - $1.0.y) } }

    // MARK: Writers

    static let eraDates = ["S50.3.31", "S58.4.1", "H2.4.1", "H12.3.31", "H27.4.1", "令和元年5月1日", "令和5年4月1日", "1998/04/01", "2003/10/01", "R3.4.1"]

    mutating func writeRoads(_ dir: URL) throws -> Int {
        let w = try ShapefileWriter(path: dir.appendingPathComponent("roads.shp").path, name: "roads", epsg: 6677, type: wkbLineString, fields: [
            ("区間番号", .text(12)), ("路線番号", .text(8)), ("路線名", .text(40)), ("道路種別", .text(12)), ("幅員", .real(6, 2)),
            ("延長", .real(9, 2)), ("舗装", .text(12)), ("認定日", .text(20)), ("一方通行", .integer),
        ])
        for (k, e) in edges.enumerated() {
            let line = polyline(e)
            let oneWay = e.arterial == 0 && rng.chance(0.03) ? (rng.chance(0.5) ? 1 : -1) : 0
            let pave = e.arterial > 0 ? "アスファルト" : rng.chance(0.85) ? "アスファルト" : rng.chance(0.67) ? "コンクリート" : "未舗装"
            let values: [String: ShapefileWriter.Value] = [
                "区間番号": .text(String(format: "R%06d", k + 1)), "路線番号": .text(e.route), "路線名": .text(e.routeName),
                "道路種別": .text(e.arterial == 1 ? "1級" : e.arterial == 2 ? "2級" : "その他市道"),
                "幅員": .real((e.width * 100).rounded() / 100), "延長": .real((Self.length(line) * 100).rounded() / 100),
                "舗装": .text(pave), "認定日": .text(rng.pick(Self.eraDates)), "一方通行": .integer(oneWay),
            ]
            try w.add(values, wkb: WKBOut.line(line))
        }
        w.close()
        return edges.count
    }

    mutating func writePipes(_ dir: URL) throws -> Int {
        let w = try ShapefileWriter(path: dir.appendingPathComponent("sewer_pipes.shp").path, name: "sewer_pipes", epsg: 6677, type: wkbLineString, fields: [
            ("管渠番号", .text(12)), ("管径", .integer), ("管種", .text(4)), ("延長", .real(9, 2)), ("勾配", .real(7, 2)),
            ("上流MH", .text(12)), ("下流MH", .text(12)), ("上流管底高", .real(8, 3)), ("下流管底高", .real(8, 3)),
            ("土被り", .real(6, 2)), ("布設年度", .integer), ("処理区", .text(20)),
        ])
        for (i, p) in pipes.enumerated() {
            let e = edges[p.edge]
            var line = polyline(e)
            if manholes[p.up].node != e.a { line.reverse() }
            let len = Self.length(line)
            let upInvert = manholes[p.up].ground - manholes[p.up].depth
            var downInvert = manholes[p.down].ground - manholes[p.down].depth
            if downInvert >= upInvert { downInvert = upInvert - len * 0.002 }
            let diameter = e.arterial == 1 ? rng.pick([600, 800, 1000]) : e.arterial == 2 ? rng.pick([350, 450, 600]) : rng.pick([200, 200, 250, 300])
            let slope = ((upInvert - downInvert) / max(len, 1) * 1000 * 100).rounded() / 100
            let cover = (min(manholes[p.up].depth, manholes[p.down].depth) * 100).rounded() / 100 - Double(diameter) / 1000
            let material = diameter >= 600 ? "HP" : rng.chance(0.8) ? "VU" : "CP"
            let area = nodes[e.a].x > box.minX + box.width * 0.55 ? "伊勢原処理区" : "鈴川処理区"
            let values: [String: ShapefileWriter.Value] = [
                "管渠番号": .text(String(format: "P-%06d", i + 1)), "管径": .integer(diameter),
                "管種": .text(material), "延長": .real((len * 100).rounded() / 100), "勾配": .real(slope),
                "上流MH": .text(manholeId(p.up)), "下流MH": .text(manholeId(p.down)),
                "上流管底高": .real((upInvert * 1000).rounded() / 1000), "下流管底高": .real((downInvert * 1000).rounded() / 1000),
                "土被り": .real(cover), "布設年度": .integer(rng.int(1965, 2022)), "処理区": .text(area),
            ]
            try w.add(values, wkb: WKBOut.line(line))
        }
        w.close()
        return pipes.count
    }

    mutating func writeManholes(_ dir: URL) throws -> Int {
        var s = "マンホール番号,種別,X,Y,地盤高,深さ,処理区\r\n"
        for (m, h) in manholes.enumerated() {
            let c = nodes[h.node]
            let kind = rng.chance(0.7) ? "汚水" : rng.chance(0.7) ? "雨水" : "合流"
            let groundText = rng.chance(0.01) ? "-" : TextOut.fixed(h.ground, 2)
            let depthText = rng.chance(0.01) ? "" : TextOut.fixed(h.depth, 2)
            let district = m == 0 ? "伊勢原処理区, 東部" : (c.x > box.minX + box.width * 0.55 ? "伊勢原処理区" : "鈴川処理区")
            s += "\(manholeId(m)),\(kind),\(TextOut.fixed(c.y, 3)),\(TextOut.fixed(c.x, 3)),\(groundText),\(depthText),\(TextOut.cell(district))\r\n"
        }
        try Data(try TextOut.cp932(s)).write(to: dir.appendingPathComponent("manholes.csv"))
        return manholes.count
    }

    static let gauges: [(String, String, String, Double, Double)] = [
        ("G1", "伊勢原市役所", "市役所屋上", 0.62, 0.55), ("G2", "大山", "大山小学校", 0.2, 0.78), ("G3", "比々多", "比々多公民館", 0.5, 0.3),
        ("G4", "成瀬", "成瀬コミュニティセンター", 0.88, 0.42), ("G5", "高部屋", "高部屋公民館", 0.45, 0.62),
    ]

    func placeInside(_ fx: Double, _ fy: Double) -> Coordinate {
        // The node nearest to the intended spot: always inside the boundary.
        let c = Coordinate(x: box.minX + box.width * fx, y: box.minY + box.height * fy)
        return nodes.prefix(nodes.count / max(1, options.scale * options.scale)).min { hypot($0.x - c.x, $0.y - c.y) < hypot($1.x - c.x, $1.y - c.y) }!
    }

    func writeGauges(_ dir: URL) throws -> Int {
        var s = "観測所ID,観測所名,緯度,経度,設置場所,標高\r\n"
        for g in Self.gauges {
            let c = placeInside(g.3, g.4)
            let ll = try toLonLat.transform(Coordinate(x: c.x + 12, y: c.y + 9))
            s += "\(g.0),\(g.1),\(TextOut.fixed(ll.y, 6)),\(TextOut.fixed(ll.x, 6)),\(g.2),\(TextOut.fixed(ground(c), 1))\r\n"
        }
        try Data([0xEF, 0xBB, 0xBF] + Array(s.utf8)).write(to: dir.appendingPathComponent("rain_gauges.csv"))
        return Self.gauges.count
    }

    /// Three days from 2026-11-20 00:10 JST: drizzle on day 1, a storm on day 2 (peak over 50 mm/h
    /// at 比々多), dry day 3; a few dozen readings missing (`///`, `欠測`).
    mutating func writeReadings(_ dir: URL) throws -> Int {
        var s = "観測所ID,観測日時,10分間雨量\n"
        var rows = 0
        let factors = [0.8, 1.3, 1.6, 0.7, 1.0]
        for step in 1...(3 * 144) {
            let minutes = step * 10
            let day = 20 + minutes / 1440, hh = (minutes % 1440) / 60, mm = minutes % 60
            let time = String(format: "2026-11-%02d %02d:%02d", day, hh, mm)
            let hour = Double(minutes) / 60
            for (g, gauge) in Self.gauges.enumerated() {
                var v = 0.0
                if hour > 6 && hour < 14 { v = rng.chance(0.3) ? rng.range(0, 0.6) : 0 }
                if hour > 34 && hour < 44 {
                    let peak = 39.0 + Double(g) * 0.3
                    v = 9.5 * factors[g] * exp(-pow(hour - peak, 2) / 3.2) + rng.range(0, 0.8)
                }
                let value: String
                if rng.chance(0.012) { value = rng.chance(0.5) ? "///" : "欠測" } else { value = TextOut.fixed((v * 2).rounded() / 2, 1) }
                s += "\(gauge.0),\(time),\(value)\n"
                rows += 1
            }
        }
        try Data(s.utf8).write(to: dir.appendingPathComponent("rain_readings.csv"))
        return rows
    }

    mutating func writeCameras(_ dir: URL) throws -> Int {
        var s = "管理番号,設置場所,緯度,経度,設置日,クラウド録画,機種,撮影方向\r\n"
        let townNodes = nodes.prefix(nodes.count / (options.scale * options.scale))
        let near = townNodes.indices.sorted {
            min(hypot(townNodes[$0].x - station.x, townNodes[$0].y - station.y), hypot(townNodes[$0].x - cityHall.x, townNodes[$0].y - cityHall.y) * 1.5)
                < min(hypot(townNodes[$1].x - station.x, townNodes[$1].y - station.y), hypot(townNodes[$1].x - cityHall.x, townNodes[$1].y - cityHall.y) * 1.5)
        }
        let places = ["伊勢原駅北口", "伊勢原駅南口", "市役所前", "大山街道入口", "桜台交差点", "中央公園", "東大竹歩道橋", "田中交差点", "伊勢原小学校前"]
        let dates = ["令和3年10月1日", "R2.4.1", "H30.3.31", "令和4年3月31日", "R5.6.1", "H29.12.1"]
        let directions = ["北", "北東", "東", "南東", "南", "南西", "西", "北西"]
        for i in 0..<18 {
            let c = townNodes[near[i * 7]]
            let ll = try toLonLat.transform(Coordinate(x: c.x + rng.range(-6, 6), y: c.y + rng.range(-6, 6)))
            let place = i < places.count ? places[i] : "\(district(of: c))地区\(i + 1)"
            s += String(format: "C-%02d", i + 1) + ",\(place),\(TextOut.fixed(ll.y, 6)),\(TextOut.fixed(ll.x, 6)),\(rng.pick(dates)),"
                + "\(i % 3 == 2 ? "無" : "有"),\(rng.pick(["XC-200", "XC-310", "IPC-4K", "SV-22"])),\(rng.pick(directions))\r\n"
        }
        try Data(try TextOut.cp932(s)).write(to: dir.appendingPathComponent("cameras.csv"))
        return 18
    }

    func feature(_ ll: Coordinate, _ props: [(String, String)]) -> String {
        let p = props.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return "{\"type\":\"Feature\",\"properties\":{\(p)},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(TextOut.fixed(ll.x, 7)),\(TextOut.fixed(ll.y, 7))]}}"
    }

    /// Pickup points beside residential streets (5–25 m from the centreline, on either kerb).
    mutating func writeYardWaste(_ dir: URL) throws -> Int {
        let residential = edges.indices.filter { edges[$0].arterial == 0 && edges[$0].width >= 3 }
        let count = 400 * options.scale * options.scale
        var features: [String] = []
        for i in 0..<count {
            let e = edges[residential[Int(rng.next() % UInt64(residential.count))]]
            let a = nodes[e.a], b = nodes[e.b]
            let len = max(1, hypot(b.x - a.x, b.y - a.y))
            let t = rng.range(0.2, 0.8), side = rng.chance(0.5) ? 1.0 : -1.0, off = rng.range(5, 25) * side
            let c = Coordinate(x: a.x + (b.x - a.x) * t - (b.y - a.y) / len * off, y: a.y + (b.y - a.y) * t + (b.x - a.x) / len * off)
            let ll = try toLonLat.transform(c)
            let kg = (rng.range(5, 60) * 10).rounded() / 10
            let day = rng.int(16, 19), hh = rng.int(8, 11), mm = rng.int(0, 59)
            features.append(feature(ll, [
                ("地点番号", String(format: "\"YW-%05d\"", i + 1)), ("地区", "\"\(district(of: a))\""), ("推定重量kg", "\(kg)"),
                ("束数", "\(max(1, Int(kg / 8)))"), ("記録日時", String(format: "\"2026-11-%02dT%02d:%02d:00+09:00\"", day, hh, mm)),
            ]))
        }
        try Data(("{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n").utf8)
            .write(to: dir.appendingPathComponent("yard_waste_points.geojson"))
        return count
    }

    func writeFacilities(_ dir: URL) throws -> Int {
        let depot = placeInside(0.78, 0.22), facility = placeInside(0.9, 0.35)
        let items = [
            feature(try toLonLat.transform(Coordinate(x: depot.x + 15, y: depot.y + 10)),
                    [("施設ID", "\"DEPOT\""), ("種別", "\"車庫\""), ("名称", "\"伊勢原市清掃車庫\"")]),
            feature(try toLonLat.transform(Coordinate(x: facility.x - 12, y: facility.y + 14)),
                    [("施設ID", "\"FACILITY\""), ("種別", "\"資源化施設\""), ("名称", "\"伊勢原市資源化センター\"")]),
        ]
        try Data(("{\"type\":\"FeatureCollection\",\"features\":[\n" + items.joined(separator: ",\n") + "\n]}\n").utf8)
            .write(to: dir.appendingPathComponent("facilities.geojson"))
        return 2
    }

    func writeReadme(_ dir: URL, _ summary: SampleCitySummary) throws {
        let text = """
        Chizu sample city (seed \(options.seed), scale \(options.scale)) — generated data, not real.
        roads.shp          道路台帳, LineString, EPSG:6677 (.prj), DBF CP932 (.cpg)
        sewer_pipes.shp    下水道台帳 管渠, LineString, EPSG:6677, DBF CP932
        manholes.csv       マンホール, CP932, CRLF, X = northing, Y = easting (EPSG:6677)
        rain_gauges.csv    雨量計, UTF-8 with BOM, lat/lon (WGS84)
        rain_readings.csv  10分間雨量, UTF-8, times JST, gaps as /// and 欠測
        cameras.csv        防犯カメラ, CP932, lat/lon (WGS84)
        yard_waste_points.geojson, facilities.geojson   RFC 7946 (lon/lat)
        Counts: \(summary)

        """
        try Data(text.utf8).write(to: dir.appendingPathComponent("README.txt"))
    }
}
