import Features
import Layers

/// The web map's MapLibre style (version 8) for one caller, generated from the layer definitions'
/// style hints: only the layers the caller may see, the basemap from the settings, and — under
/// `metadata["chizu:layers"]` — what the page needs for its layer list, legend and popups.
struct MapStyle: Sendable {
    let layers: [LayerDefinition]
    let caller: Caller
    let settings: MapSettings
    /// Server base URL, e.g. `http://127.0.0.1:8080`.
    let base: String
    /// The pickup layer the planners' view reads, when this caller may plan collection runs (nil
    /// otherwise, so the page's script never needs the id of a layer the caller may not see).
    var plannerLayer: String? = nil

    /// The vector tile source's name in the style.
    static let source = "chizu"

    /// Signed-in callers use the `all` tileset (every layer they may see); the public the cacheable `public` one.
    var tileset: String { caller.isAnonymous ? "public" : "all" }

    func document() -> JSONValue {
        var sources: [(String, JSONValue)] = []
        var styleLayers: [JSONValue] = [.object([("id", "background"), ("type", "background"),
                                                 ("paint", .object([("background-color", "#f4f3ee")]))])]
        if let b = settings.basemap {
            sources.append(("basemap", .object([("type", "raster"), ("tiles", [.string(b.url)]), ("tileSize", 256),
                                                ("maxzoom", .int(Int64(b.maxzoom ?? 18))), ("attribution", .string(b.attribution))])))
            styleLayers.append(.object([("id", "basemap"), ("type", "raster"), ("source", "basemap")]))
        }
        let attribution = Array(Set(layers.map(\.attribution))).sorted().joined(separator: " / ")
        sources.append((Self.source, .object([
            ("type", "vector"), ("tiles", [.string("\(base)/tiles/\(tileset)/{z}/{x}/{y}.mvt")]),
            ("minzoom", .int(Int64(layers.map(\.minZoom).min() ?? 0))), ("maxzoom", .int(Int64(layers.map(\.maxZoom).max() ?? 18))),
            ("attribution", .string(attribution)),
        ])))
        // Areas below lines below points, so small things stay clickable.
        let order: [LayerGeometryType: Int] = [.polygon: 0, .multipolygon: 0, .linestring: 1, .multilinestring: 1]
        let drawn = layers.enumerated().sorted { (order[$0.element.geometryType] ?? 2, $0.offset) < (order[$1.element.geometryType] ?? 2, $1.offset) }
        for (_, layer) in drawn { styleLayers += mapLayers(layer) }
        var meta: [(String, JSONValue)] = [("chizu:layers", .array(layers.map(layerInfo))),
                                           ("chizu:caller", .object([("kind", .string(caller.kind.rawValue)),
                                                                     ("department", caller.department.map(JSONValue.string) ?? .null)]))]
        if let c = settings.center, c.count == 2 { meta.append(("chizu:center", [.double(c[0]), .double(c[1])])) }
        if let plannerLayer { meta.append(("chizu:planner", .object([("pickupLayer", .string(plannerLayer)), ("plans", "/routes/plans")]))) }
        var doc: [(String, JSONValue)] = [("version", 8), ("name", "Chizu 地図"), ("metadata", .object(meta))]
        if let c = settings.center, c.count == 2 { doc.append(("center", [.double(c[0]), .double(c[1])])) }
        if let z = settings.zoom { doc.append(("zoom", .double(z))) }
        doc += [("sources", .object(sources)), ("layers", .array(styleLayers))]
        return .object(doc)
    }

    /// The MapLibre style layer ids drawing `layer` (the page toggles them together).
    static func ids(_ layer: LayerDefinition) -> [String] {
        switch layer.geometryType {
        case .polygon, .multipolygon: ["\(layer.id)-fill", "\(layer.id)-outline"]
        case .linestring, .multilinestring: [layer.id]
        default: [layer.id]
        }
    }

    func mapLayers(_ layer: LayerDefinition) -> [JSONValue] {
        let s = layer.style
        let color = expression(layer, default: .string(s.color)) { $0.color.map(JSONValue.string) }
        let width = expression(layer, default: .double(s.width)) { $0.width.map(JSONValue.double) }
        func base(_ id: String, _ type: String, _ paint: [(String, JSONValue)]) -> JSONValue {
            .object([("id", .string(id)), ("type", .string(type)), ("source", .string(Self.source)), ("source-layer", .string(layer.id)),
                     ("minzoom", .int(Int64(layer.minZoom))), ("metadata", .object([("chizu:layer", .string(layer.id))])),
                     ("layout", type == "line" ? .object([("line-cap", "round"), ("line-join", "round")]) : .object([])),
                     ("paint", .object(paint))])
        }
        switch layer.geometryType {
        case .polygon, .multipolygon:
            return [base("\(layer.id)-fill", "fill", [("fill-color", color), ("fill-opacity", .double(0.25 * s.opacity))]),
                    base("\(layer.id)-outline", "line", [("line-color", color), ("line-width", width), ("line-opacity", .double(s.opacity))])]
        case .linestring, .multilinestring:
            return [base(layer.id, "line", [("line-color", color), ("line-width", zoomed(width)), ("line-opacity", .double(s.opacity))])]
        default:
            return [base(layer.id, "circle", [("circle-color", color), ("circle-radius", width), ("circle-opacity", .double(s.opacity)),
                                              ("circle-stroke-color", "#ffffff"), ("circle-stroke-width", 1.5)])]
        }
    }

    /// Lines at their hinted width from zoom 16, thinner when zoomed out so dense networks stay readable.
    func zoomed(_ width: JSONValue) -> JSONValue {
        ["interpolate", ["linear"], ["zoom"], 12, ["*", 0.4, width], 16, width]
    }

    /// A `case` expression over the layer's classes (first match wins), or the plain default.
    func expression(_ layer: LayerDefinition, default value: JSONValue, _ pick: (StyleClass) -> JSONValue?) -> JSONValue {
        var parts: [JSONValue] = ["case"]
        for c in layer.style.classes {
            guard let v = pick(c) else { continue }
            if let eq = c.equals {
                parts += [["==", ["to-string", ["get", .string(c.field)]], .string(eq)], v]
            } else if let min = c.min {
                parts += [[">=", ["to-number", ["get", .string(c.field)], -1e300], .double(min)], v]
            }
        }
        return parts.count == 1 ? value : .array(parts + [value])
    }

    /// What the page shows about a layer: titles, access, legend rows, and the fields popups list.
    func layerInfo(_ layer: LayerDefinition) -> JSONValue {
        let s = layer.style
        var legend: [JSONValue] = s.classes.compactMap { c in
            guard let label = c.label else { return nil }
            return .object([("color", .string(c.color ?? s.color)), ("width", .double(c.width ?? s.width)), ("label", text(label))])
        }
        if legend.isEmpty { legend = [.object([("color", .string(s.color)), ("width", .double(s.width)), ("label", text(layer.title))])] }
        let fields: [JSONValue] = layer.fields(for: caller).map { f in
            .object([("name", .string(f.name)), ("type", .string(f.type.rawValue)), ("label", text(f.label)),
                     ("unit", f.unit.map(JSONValue.string) ?? .null)])
        }
        let kind: String = switch layer.geometryType {
        case .polygon, .multipolygon: "polygon"
        case .linestring, .multilinestring: "line"
        default: "point"
        }
        return .object([("id", .string(layer.id)), ("title", text(layer.title)), ("access", .string(layer.access.rawValue)),
                        ("geometry", .string(kind)), ("key", .string(layer.keyField)), ("minzoom", .int(Int64(layer.minZoom))),
                        ("readings", .bool(layer.readings != nil)),
                        ("styleLayers", .array(Self.ids(layer).map(JSONValue.string))), ("legend", .array(legend)),
                        ("fields", .array(fields))])
    }

    func text(_ t: LocalizedText) -> JSONValue { .object([("ja", .string(t.ja)), ("en", .string(t.en))]) }
}
