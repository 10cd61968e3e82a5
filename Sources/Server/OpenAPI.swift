import Features
import Foundation
import RoutePlanning

/// The OpenAPI 3.0 description of every endpoint the server really has. A test compares it with
/// the router's routes, so the two cannot drift apart.
enum OpenAPI {
    struct Endpoint {
        let path: String
        let summary: String
        let parameters: [String]
        let produces: [String]
        var method = "get"
        /// The success status (201 for a created plan).
        var success = "200"
        /// Other statuses this endpoint answers besides the common ones (204 for an empty tile, 422).
        var statuses: [String] = []
        /// The JSON schema of a POST body.
        var body: JSONValue? = nil
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
                     parameters: ["tileset", "z", "x", "yFile"], produces: ["application/vnd.mapbox-vector-tile"], statuses: ["204"]),
            Endpoint(path: "/tiles/{tileset}", summary: "TileJSON 3.0.0 of a tileset, as /tiles/{id}.json",
                     parameters: ["tileset"], produces: ["application/json"]),
            Endpoint(path: "/collections/{collectionId}/tiles", summary: "OGC API - Tiles: the collection's tilesets", parameters: ["collectionId"],
                     produces: ["application/json"]),
            Endpoint(path: "/collections/{collectionId}/tiles/WebMercatorQuad/{z}/{row}/{col}", summary: "OGC API - Tiles: a vector tile",
                     parameters: ["collectionId", "z", "row", "col"], produces: ["application/vnd.mapbox-vector-tile"], statuses: ["204"]),
            Endpoint(path: "/tileMatrixSets", summary: "Tile matrix sets", parameters: [], produces: ["application/json"]),
            Endpoint(path: "/tileMatrixSets/WebMercatorQuad", summary: "The WebMercatorQuad tile matrix set", parameters: [], produces: ["application/json"]),
            Endpoint(path: "/rain/readings", summary: "Post rain-gauge readings (one or a batch); device or crisis-management editor token",
                     parameters: [], produces: ["application/json"], method: "post", statuses: ["422"], body: readingsBody),
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
            Endpoint(path: "/health", summary: "Liveness and database check", parameters: [], produces: ["application/json"], statuses: ["503"]),
            Endpoint(path: "/metrics", summary: "Prometheus metrics", parameters: [], produces: ["text/plain"]),
            Endpoint(path: "/routes/plans", summary: "Plan a day's yard-waste runs (sanitation token); JSON body: date, trucks, capacity_kg, shift?, time_limit_s?, seed?",
                     parameters: [], produces: ["application/json"], method: "post", success: "201", statuses: ["422"], body: planBody),
            Endpoint(path: "/routes/plans/{planId}", summary: "A stored yard-waste collection plan as GeoJSON (sanitation token)",
                     parameters: ["planId"], produces: ["application/geo+json"]),
            Endpoint(path: "/routes/plans", summary: "Stored yard-waste collection plans, newest first, with their summaries (sanitation token)",
                     parameters: [], produces: ["application/json"]),
            Endpoint(path: "/routes/plans/{planId}/sheets/{truck}", summary: "Printable route sheet (運行表, HTML) of one truck of a stored plan (sanitation token)",
                     parameters: ["planId", "truck"], produces: ["text/html"]),
            Endpoint(path: "/routes/plans/{planId}/gpx/{truck}", summary: "GPX 1.1 track and stops of one truck of a stored plan (sanitation token)",
                     parameters: ["planId", "truck"], produces: ["application/gpx+xml"]),
            Endpoint(path: "/routes/plans/{planId}/collections", summary: "Record the weighed yard waste of trips of a stored plan (sanitation editor token); JSON body: {truck, trip, collected_kg} or an array of them; recording again corrects",
                     parameters: ["planId"], produces: ["application/json"], method: "post", success: "201", body: collectionsBody),
            Endpoint(path: "/routes/collections", summary: "Yard waste collected per month of a year and the year's total against the city's target (sanitation token)",
                     parameters: ["year"], produces: ["application/json"]),
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
        // Examples that exist in every city (the shipped layers, the public tileset, the map's files),
        // so generated requests reach past the 404s.
        func id(_ example: String) -> JSONValue { .object([("type", "string"), ("example", .string(example))]) }
        switch name {
        case "collectionId": return p("path", id("roads"), "identifier", required: true)
        case "tileset": return p("path", id("public"), "identifier", required: true)
        case "yFile": return p("path", id("6467.mvt"), "identifier", required: true)
        case "siteId": return p("path", id("G1"), "identifier", required: true)
        case "file": return p("path", id("app.js"), "identifier", required: true)
        case "featureId", "tilesetFile", "planId": return p("path", str, "identifier", required: true)
        case "truck": return p("path", .object([("type", "integer"), ("minimum", 1)]), "truck number, from 1", required: true)
        case "from", "to", "since": return p("query", str, "time (RFC 3339 with offset) or JST date; default: the 24 hours to the latest reading")
        case "interval": return p("query", .object([("type", "string"), ("enum", ["10m", "1h", "1d"]), ("default", "10m")]), "bucket length")
        case "Last-Event-ID": return .object([("name", "Last-Event-ID"), ("in", "header"), ("required", false), ("schema", str),
                                              ("description", "the last event id received; missed events are replayed")])
        case "year": return p("query", .object([("type", "integer"), ("minimum", 2000), ("maximum", 2100)]), "calendar year; default: this year")
        case "z", "x", "row", "col":
            let example: Int64 = switch name { case "z": 14; case "row": 6467; default: 14552 }   // a tile over the city hall
            return p("path", .object([("type", "integer"), ("minimum", 0), ("example", .int(example))]), "tile matrix, column or row", required: true)
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

    /// RFC 9457: every error answer (4xx and 5xx) is one of these.
    static let problemSchema: JSONValue = .object([
        ("type", "object"), ("required", ["type", "title", "status"]),
        ("properties", .object([
            ("type", .object([("type", "string")])), ("title", .object([("type", "string")])),
            ("status", .object([("type", "integer"), ("minimum", 400), ("maximum", 599)])),
            ("detail", .object([("type", "string")])), ("instance", .object([("type", "string")])),
        ])),
    ])

    static let problem: JSONValue = .object([("application/problem+json", .object([("schema", .object([("$ref", "#/components/schemas/Problem")]))]))])

    /// Schemas of the JSON answers that have a fixed shape, by path and media type.
    static func responseSchema(_ path: String, _ type: String) -> JSONValue? {
        func object(_ required: [String], _ properties: [(String, JSONValue)]) -> JSONValue {
            .object([("type", "object"), ("required", .array(required.map(JSONValue.string))), ("properties", .object(properties))])
        }
        let array: JSONValue = .object([("type", "array")])
        switch (path, type) {
        case ("/", "application/json"): return object(["links"], [("links", array)])
        case ("/conformance", "application/json"): return object(["conformsTo"], [("conformsTo", .object([("type", "array"), ("items", .object([("type", "string")]))]))])
        case ("/collections", "application/json"): return object(["collections", "links"], [("collections", array), ("links", array)])
        case ("/collections/{collectionId}", "application/json"): return object(["id", "links"], [("id", .object([("type", "string")])), ("links", array)])
        case ("/collections/{collectionId}/items", "application/geo+json"):
            return object(["type", "features"], [("type", .object([("type", "string"), ("enum", ["FeatureCollection"])])), ("features", array)])
        case ("/collections/{collectionId}/items/{featureId}", "application/geo+json"):
            return object(["type", "geometry", "properties"], [("type", .object([("type", "string"), ("enum", ["Feature"])]))])
        default: return nil
        }
    }

    /// One reading: `{"site": "G1", "observed_at": "2026-11-20T10:00:00+09:00", "value": 1.5}`; value null = 欠測.
    static let reading: JSONValue = .object([
        ("type", "object"), ("required", ["site", "observed_at"]),
        ("properties", .object([
            ("site", .object([("type", "string")])), ("observed_at", .object([("type", "string"), ("format", "date-time")])),
            ("value", .object([("type", "number"), ("nullable", true), ("minimum", 0)])),
        ])),
    ])

    /// `POST /rain/readings`: one reading, an array of them, or `{"readings": [...]}`.
    static var readingsBody: JSONValue {
        let list: JSONValue = .object([("type", "array"), ("items", reading)])
        return .object([("oneOf", .array([reading, list, .object([("type", "object"), ("required", ["readings"]),
                                                                  ("properties", .object([("readings", list)]))])]))])
    }

    /// `POST /routes/plans`.
    static var planBody: JSONValue {
        .object([
            ("type", "object"), ("required", ["date", "trucks", "capacity_kg"]),
            ("properties", .object([
                ("date", .object([("type", "string"), ("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")])),
                ("trucks", .object([("type", "integer"), ("minimum", .int(Int64(PlanRequest.trucksAllowed.lowerBound))),
                                    ("maximum", .int(Int64(PlanRequest.trucksAllowed.upperBound)))])),
                ("capacity_kg", .object([("type", "number"), ("minimum", .double(PlanRequest.capacityAllowedKg.lowerBound)),
                                         ("maximum", .double(PlanRequest.capacityAllowedKg.upperBound))])),
                ("shift", .object([("type", "string"), ("pattern", "^[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}$"), ("default", "08:30-16:00")])),
                ("time_limit_s", .object([("type", "number"), ("minimum", 1), ("maximum", 300), ("default", 30)])),
                ("seed", .object([("type", "integer"), ("minimum", 0)])),
            ])),
        ])
    }

    /// `POST /routes/plans/{planId}/collections`: one weighed trip or an array of them.
    static var collectionsBody: JSONValue {
        let trip: JSONValue = .object([
            ("type", "object"), ("required", ["truck", "trip", "collected_kg"]),
            ("properties", .object([
                ("truck", .object([("type", "integer"), ("minimum", 1)])), ("trip", .object([("type", "integer"), ("minimum", 1)])),
                ("collected_kg", .object([("type", "number"), ("minimum", 0), ("maximum", 100000)])),
            ])),
        ])
        return .object([("oneOf", .array([trip, .object([("type", "array"), ("items", trip), ("minItems", 1), ("maxItems", 1000)])]))])
    }

    static func document(base: String) -> JSONValue {
        let operations: [(String, (String, JSONValue))] = endpoints.map { e in
            let content: [(String, JSONValue)] = e.produces.map { type in
                (type, .object(responseSchema(e.path, type).map { [("schema", $0)] } ?? []))
            }
            var responses: [(String, JSONValue)] = [(e.success, .object([("description", e.success == "201" ? "Created" : "OK"), ("content", .object(content))]))]
            if e.method == "get" { responses.append(("304", .object([("description", "Not modified (If-None-Match matched the ETag)")]))) }
            for status in e.statuses {
                switch status {
                case "204": responses.append((status, .object([("description", "No content (an empty tile)")])))
                case "503": responses.append((status, .object([("description", "The database does not answer"), ("content", .object([("application/json", .object([]))]))])))
                default: responses.append((status, .object([("description", "Unprocessable: the request is well formed but cannot be done (problem+json)"), ("content", problem)])))
                }
            }
            responses += [
                ("400", .object([("description", "Bad request (problem+json)"), ("content", problem)])),
                ("401", .object([("description", "A token is needed (problem+json)"), ("content", problem)])),
                ("403", .object([("description", "The token does not allow it (problem+json)"), ("content", problem)])),
                ("404", .object([("description", "Not found, or not visible to the caller (problem+json)"), ("content", problem)])),
                ("429", .object([("description", "Too many requests from this anonymous client (problem+json); see Retry-After"),
                                 ("headers", .object([("Retry-After", .object([("schema", .object([("type", "integer")]))]))])),
                                 ("content", problem)])),
                ("default", .object([("description", "Any other error, e.g. 405, 406, 408, 431, 503 (problem+json)"), ("content", problem)])),
            ]
            if e.method == "post" {
                responses.append(("413", .object([("description", "Body larger than the server's limit (problem+json)"), ("content", problem)])))
            }
            var op: [(String, JSONValue)] = [
                ("summary", .string(e.summary)),
                ("operationId", .string(e.path == "/" ? "landing" : (e.method == "get" ? "" : e.method) + e.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: ""))),
                ("parameters", .array(e.parameters.map(parameter))),
            ]
            if let body = e.body {
                op.append(("requestBody", .object([("required", true), ("content", .object([("application/json", .object([("schema", body)]))]))])))
            }
            op.append(("responses", .object(responses)))
            return (e.path, (e.method, .object(op)))
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
            ("components", .object([("securitySchemes", .object([("bearer", .object([("type", "http"), ("scheme", "bearer")]))])),
                                    ("schemas", .object([("Problem", problemSchema)]))])),
            // Anonymous callers see the public layers; a token shows more.
            ("security", .array([.object([]), .object([("bearer", .array([]))])])),
            ("paths", .object(paths)),
        ])
    }
}
