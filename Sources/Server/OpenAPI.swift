import Features
import Foundation

/// The OpenAPI 3.0 description of every endpoint the server really has. A test compares it with
/// the router's routes, so the two cannot drift apart.
enum OpenAPI {
    struct Endpoint {
        let path: String
        let summary: String
        let parameters: [String]
        let produces: [String]
        var method = "get"
    }

    static let collectionId = "collectionId"

    /// The documented endpoints (OpenAPI path syntax).
    static var endpoints: [Endpoint] {
        [
            Endpoint(path: "/", summary: "Landing page", parameters: ["f", "lang"], produces: ["application/json", "text/html"]),
            Endpoint(path: "/conformance", summary: "Conformance classes", parameters: ["f"], produces: ["application/json"]),
            Endpoint(path: "/api", summary: "This OpenAPI document", parameters: [], produces: ["application/vnd.oai.openapi+json;version=3.0"]),
            Endpoint(path: "/collections", summary: "The collections the caller may see", parameters: ["f", "lang"], produces: ["application/json", "text/html"]),
            Endpoint(path: "/collections/{collectionId}", summary: "A collection's metadata", parameters: ["collectionId", "f", "lang"], produces: ["application/json", "text/html"]),
            Endpoint(path: "/collections/{collectionId}/queryables", summary: "Fields the caller may filter on", parameters: ["collectionId"], produces: ["application/schema+json"]),
            Endpoint(path: "/collections/{collectionId}/items", summary: "Features, filtered and paged",
                     parameters: ["collectionId", "f", "lang", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs"],
                     produces: ["application/geo+json", "text/html", "text/csv"]),
            Endpoint(path: "/collections/{collectionId}/download", summary: "The whole collection as one GeoJSON or CSV file (streamed)",
                     parameters: ["collectionId", "f", "bbox", "bbox-crs", "datetime", "filter", "filter-lang", "filter-crs"],
                     produces: ["application/geo+json", "text/csv"]),
            Endpoint(path: "/collections/{collectionId}/items/{featureId}", summary: "One feature", parameters: ["collectionId", "featureId", "f", "lang", "crs"],
                     produces: ["application/geo+json", "text/html"]),
            Endpoint(path: "/tiles/{tileset}/{z}/{x}/{yFile}", summary: "A vector tile (MVT); yFile is {y}.mvt; 204 when empty",
                     parameters: ["tileset", "z", "x", "yFile"], produces: ["application/vnd.mapbox-vector-tile"]),
            Endpoint(path: "/tiles/{tileset}", summary: "TileJSON 3.0.0 of a tileset, as /tiles/{id}.json",
                     parameters: ["tileset"], produces: ["application/json"]),
            Endpoint(path: "/collections/{collectionId}/tiles", summary: "OGC API - Tiles: the collection's tilesets", parameters: ["collectionId"],
                     produces: ["application/json"]),
            Endpoint(path: "/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{row}/{col}", summary: "OGC API - Tiles: a vector tile",
                     parameters: ["collectionId", "z", "row", "col"], produces: ["application/vnd.mapbox-vector-tile"]),
            Endpoint(path: "/tileMatrixSets", summary: "Tile matrix sets", parameters: [], produces: ["application/json"]),
            Endpoint(path: "/tileMatrixSets/WebMercatorQuad", summary: "The WebMercatorQuad tile matrix set", parameters: [], produces: ["application/json"]),
            Endpoint(path: "/rain/readings", summary: "Post rain-gauge readings (one or a batch); device or crisis-management editor token",
                     parameters: [], produces: ["application/json"], method: "post"),
            Endpoint(path: "/rain/gauges/{siteId}/readings", summary: "A gauge's rainfall series summed per 10m, 1h or 1d",
                     parameters: ["siteId", "from", "to", "interval", "f"], produces: ["application/json", "text/csv"]),
            Endpoint(path: "/rain/alerts", summary: "Threshold crossings (JMA intensity words, city alert levels), newest first",
                     parameters: ["since", "limit"], produces: ["application/json"]),
            Endpoint(path: "/rain/stream", summary: "Server-Sent Events: reading and alert messages; Last-Event-ID replays missed ones",
                     parameters: ["Last-Event-ID"], produces: ["text/event-stream"]),
            Endpoint(path: "/map", summary: "The web map (公開型GIS; signed-in departments see their internal layers)", parameters: [], produces: ["text/html"]),
            Endpoint(path: "/map/static/{file}", summary: "The web map's own scripts and styles", parameters: ["file"], produces: ["text/javascript", "text/css"]),
            Endpoint(path: "/map/vendor/{file}", summary: "MapLibre GL JS (maplibre-gl.js, maplibre-gl.css)", parameters: ["file"], produces: ["text/javascript", "text/css"]),
            Endpoint(path: "/map/style.json", summary: "MapLibre style for the caller: the layers it may see, drawn from the layers' style hints",
                     parameters: [], produces: ["application/json"]),
            Endpoint(path: "/map/admin.json", summary: "Administrators' dashboard: layers, public accesses per day per layer, ingest runs",
                     parameters: [], produces: ["application/json"]),
            Endpoint(path: "/health", summary: "Liveness and database check", parameters: [], produces: ["application/json"]),
            Endpoint(path: "/metrics", summary: "Prometheus metrics", parameters: [], produces: ["text/plain"]),
            Endpoint(path: "/routes/plans", summary: "Plan a day's yard-waste runs (sanitation token); JSON body: date, trucks, capacity_kg, shift?, time_limit_s?, seed?",
                     parameters: [], produces: ["application/json"], method: "post"),
            Endpoint(path: "/routes/plans/{planId}", summary: "A stored yard-waste collection plan as GeoJSON (sanitation token)",
                     parameters: ["planId"], produces: ["application/geo+json"]),
            Endpoint(path: "/routes/plans", summary: "Stored yard-waste collection plans, newest first, with their summaries (sanitation token)",
                     parameters: [], produces: ["application/json"]),
            Endpoint(path: "/routes/plans/{planId}/sheets/{truck}", summary: "Printable route sheet (運行表, HTML) of one truck of a stored plan (sanitation token)",
                     parameters: ["planId", "truck"], produces: ["text/html"]),
            Endpoint(path: "/routes/plans/{planId}/gpx/{truck}", summary: "GPX 1.1 track and stops of one truck of a stored plan (sanitation token)",
                     parameters: ["planId", "truck"], produces: ["application/gpx+xml"]),
        ]
    }

    static func parameter(_ name: String) -> JSONValue {
        func p(_ inWhere: String, _ schema: JSONValue, _ description: String, required: Bool = false, style: String? = nil) -> JSONValue {
            var m: [(String, JSONValue)] = [("name", .string(name)), ("in", .string(inWhere)), ("description", .string(description)),
                                            ("required", .bool(required)), ("schema", schema)]
            if let style { m += [("style", .string(style)), ("explode", false)] }
            return .object(m)
        }
        let str: JSONValue = .object([("type", "string")])
        switch name {
        case "collectionId", "featureId", "tileset", "tilesetFile", "yFile", "siteId", "file", "planId": return p("path", str, "identifier", required: true)
        case "truck": return p("path", .object([("type", "integer"), ("minimum", 1)]), "truck number, from 1", required: true)
        case "from", "to", "since": return p("query", str, "time (RFC 3339 with offset) or JST date; default: the 24 hours to the latest reading")
        case "interval": return p("query", .object([("type", "string"), ("enum", ["10m", "1h", "1d"]), ("default", "10m")]), "bucket length")
        case "Last-Event-ID": return .object([("name", "Last-Event-ID"), ("in", "header"), ("required", false), ("schema", str),
                                              ("description", "the last event id received; missed events are replayed")])
        case "z", "x", "row", "col": return p("path", .object([("type", "integer"), ("minimum", 0)]), "tile matrix, column or row", required: true)
        case "f": return p("query", .object([("type", "string"), ("enum", ["json", "html", "csv"])]), "response format")
        case "lang": return p("query", .object([("type", "string"), ("enum", ["ja", "en"])]), "language of titles and HTML pages")
        case "limit": return p("query", .object([("type", "integer"), ("minimum", 1), ("maximum", 10000), ("default", 100)]), "page size")
        case "offset": return p("query", .object([("type", "integer"), ("minimum", 0), ("default", 0)]), "index of the first feature (paging)")
        case "bbox": return p("query", .object([("type", "array"), ("minItems", 4), ("maxItems", 6), ("items", .object([("type", "number")]))]),
                              "minx,miny,maxx,maxy in bbox-crs (CRS84 by default)", style: "form")
        case "datetime": return p("query", str, "instant or interval (RFC 3339), e.g. 2026-11-20T00:00:00+09:00/..")
        case "filter": return p("query", str, "CQL2 filter; DWITHIN(geometry, POINT(lon lat), metres) finds features within a distance")
        case "filter-lang": return p("query", .object([("type", "string"), ("enum", ["cql2-text", "cql2-json"])]), "filter language")
        default: return p("query", str, name)
        }
    }

    static func document(base: String) -> JSONValue {
        let operations: [(String, (String, JSONValue))] = endpoints.map { e in
            let content: [(String, JSONValue)] = e.produces.map { ($0, .object([])) }
            let op: JSONValue = .object([
                ("summary", .string(e.summary)),
                ("operationId", .string(e.path == "/" ? "landing" : (e.method == "get" ? "" : e.method) + e.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: ""))),
                ("parameters", .array(e.parameters.map(parameter))),
                ("responses", .object([
                    ("200", .object([("description", "OK"), ("content", .object(content))])),
                    ("400", .object([("description", "Bad request (problem+json)"), ("content", .object([("application/problem+json", .object([]))]))])),
                    ("404", .object([("description", "Not found (problem+json)"), ("content", .object([("application/problem+json", .object([]))]))])),
                    ("429", .object([("description", "Too many requests from this anonymous client (problem+json); see Retry-After"),
                                     ("headers", .object([("Retry-After", .object([("schema", .object([("type", "integer")]))]))])),
                                     ("content", .object([("application/problem+json", .object([]))]))])),
                ] + (e.method == "post" ? [
                    ("413", .object([("description", "Body larger than the server's limit (problem+json)"),
                                     ("content", .object([("application/problem+json", .object([]))]))])),
                ] : []))),
            ])
            return (e.path, (e.method, op))
        }
        // One path item per path, with each of its methods (GET and POST /routes/plans share one).
        var order: [String] = [], methods: [String: [(String, JSONValue)]] = [:]
        for (path, op) in operations {
            if methods[path] == nil { order.append(path) }
            methods[path, default: []].append(op)
        }
        let paths: [(String, JSONValue)] = order.map { ($0, .object(methods[$0] ?? [])) }
        return .object([
            ("openapi", "3.0.3"),
            ("info", .object([("title", "Chizu 地図 — OGC API Features"), ("version", "1.0.0"),
                              ("description", "Isehara's public and integrated GIS. Internal layers and fields need 'Authorization: Bearer TOKEN'.")])),
            ("servers", .array([.object([("url", .string(base))])])),
            ("components", .object([("securitySchemes", .object([("bearer", .object([("type", "http"), ("scheme", "bearer")]))]))])),
            ("paths", .object(paths)),
        ])
    }
}
