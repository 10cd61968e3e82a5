import Foundation
import GeoCore
import Layers
import Store

/// The CRSs the feature server offers (OGC API - Features Part 2).
public enum ServedCRS {
    public static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    public static let all: [CRS] = [.wgs84, .jgd2011ZoneIX, .webMercator]

    /// The URIs listed in collection metadata (CRS84 first, the default).
    public static func uris(storage: CRS) -> [String] {
        var list = [crs84] + all.map(\.uri)
        if !all.contains(storage) { list.append(storage.uri) }
        return list
    }

    /// Parses a `crs`/`bbox-crs` parameter: CRS84 (returned with `isCRS84`), or one of the served EPSG codes.
    public static func parse(_ s: String, storage: CRS) -> (crs: CRS, isCRS84: Bool)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.uppercased().hasSuffix("CRS84") { return (.wgs84, true) }
        guard let crs = CRS(string: t), all.contains(crs) || crs == storage else { return nil }
        return (crs, false)
    }
}

/// Conformance classes this server implements.
public enum Conformance {
    public static let classes: [String] = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    ]
}

/// Builds the JSON documents of OGC API - Features: landing page, conformance, collections,
/// collection metadata and queryables. `base` is the server's public URL without a trailing slash.
public struct OGCDocuments: Sendable {
    public let base: String
    public init(base: String) { self.base = base }

    func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> JSONValue {
        var m: [(String, JSONValue)] = [("href", .string(base + href)), ("rel", .string(rel)), ("type", .string(type))]
        if let title { m.append(("title", .string(title))) }
        return .object(m)
    }

    public func landing() -> JSONValue {
        .object([
            ("title", "Chizu 地図 — 伊勢原市 GIS"),
            ("description", "公開型GIS・統合型GIS: OGC API - Features, vector tiles and the web map"),
            ("links", .array([
                link("/", "self", "application/json", "This document"),
                link("/?f=html", "alternate", "text/html", "This document as HTML"),
                link("/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
                link("/conformance", "conformance", "application/json", "Conformance classes"),
                link("/collections", "data", "application/json", "The collections"),
            ])),
        ])
    }

    public func conformance() -> JSONValue {
        .object([("conformsTo", .array(Conformance.classes.map { .string($0) }))])
    }

    /// One collection's metadata; `extent` is the data's lon/lat box, when known.
    public func collection(_ layer: LayerDefinition, info: LayerInfo?, extent: BoundingBox?, lang: String = "ja") -> JSONValue {
        let title = lang == "en" ? layer.title.en : layer.title.ja
        let description = lang == "en" ? layer.description.en : layer.description.ja
        let path = "/collections/\(layer.id)"
        var links: [JSONValue] = [
            link(path, "self", "application/json", "This collection"),
            link(path + "?f=html", "alternate", "text/html", "This collection as HTML"),
            link(path + "/items", "items", "application/geo+json", "Features"),
            link(path + "/items?f=html", "items", "text/html", "Features as HTML"),
            link(path + "/items?f=csv&limit=10000", "items", "text/csv", "Features as CSV"),
            link(path + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
            link("/tiles/\(layer.id).json", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "application/json", "Vector tiles (TileJSON)"),
        ]
        if layer.license.uppercased().hasPrefix("CC-BY") {
            links.append(.object([("href", "https://creativecommons.org/licenses/by/4.0/"), ("rel", "license"), ("type", "text/html"),
                                  ("title", .string(layer.license))]))
        }
        var members: [(String, JSONValue)] = [
            ("id", .string(layer.id)), ("title", .string(title)), ("description", .string(description)),
            ("itemType", "feature"),
            ("crs", .array(ServedCRS.uris(storage: layer.storageCRS).map { .string($0) })),
            ("storageCrs", .string(layer.storageCRS.uri)),
            ("license", .string(layer.license)), ("attribution", .string(layer.attribution)),
        ]
        if let e = extent {
            members.append(("extent", .object([("spatial", .object([
                ("bbox", .array([.array([.double(e.minX), .double(e.minY), .double(e.maxX), .double(e.maxY)])])),
                ("crs", .string(ServedCRS.crs84)),
            ]))])))
        }
        if let info { members.append(("x-chizu-version", .int(info.version))) }
        members.append(("links", .array(links)))
        return .object(members)
    }

    public func collections(_ entries: [JSONValue]) -> JSONValue {
        .object([
            ("links", .array([link("/collections", "self", "application/json"), link("/collections?f=html", "alternate", "text/html")])),
            ("collections", .array(entries)),
        ])
    }

    /// JSON Schema of the fields the caller may query.
    public func queryables(_ layer: LayerDefinition, fields: [FieldDefinition], lang: String = "ja") -> JSONValue {
        var props: [(String, JSONValue)] = [("geometry", .object([("$ref", geometrySchema(layer.geometryType))]))]
        for f in fields {
            var m: [(String, JSONValue)] = [("title", .string(lang == "en" ? f.label.en : f.label.ja))]
            switch f.type {
            case .text: m.append(("type", "string"))
            case .integer: m.append(("type", "integer"))
            case .real: m.append(("type", "number"))
            case .boolean: m.append(("type", "boolean"))
            case .date: m += [("type", "string"), ("format", "date")]
            case .datetime: m += [("type", "string"), ("format", "date-time")]
            }
            if let values = f.allowedValues { m.append(("enum", .array(values.map { .string($0) }))) }
            if let unit = f.unit { m.append(("x-unit", .string(unit))) }
            props.append((f.name, .object(m)))
        }
        return .object([
            ("$schema", "https://json-schema.org/draft/2019-09/schema"),
            ("$id", .string(base + "/collections/\(layer.id)/queryables")),
            ("type", "object"), ("title", .string(lang == "en" ? layer.title.en : layer.title.ja)),
            ("properties", .object(props)), ("additionalProperties", false),
        ])
    }

    func geometrySchema(_ t: LayerGeometryType) -> JSONValue {
        let name = switch t {
        case .point: "Point"
        case .linestring: "LineString"
        case .polygon: "Polygon"
        case .multipoint: "MultiPoint"
        case .multilinestring: "MultiLineString"
        case .multipolygon: "MultiPolygon"
        }
        return .string("https://geojson.org/schema/\(name).json")
    }
}
