import Foundation
import GeoCore
import Yams

/// The city's layers, loaded from a directory of `*.yaml` files (one layer per file).
///
/// A city adds a layer by adding a file: nothing in the code names a layer.
public struct LayerCatalog: Sendable {
    /// Layers in file-name order.
    public let layers: [LayerDefinition]

    public init(layers: [LayerDefinition]) { self.layers = layers }

    /// The layer with this id.
    public func layer(_ id: String) -> LayerDefinition? { layers.first { $0.id == id } }

    /// Loads and validates every `*.yaml`/`*.yml` file in `directory`; throws `LayerCatalogError`
    /// listing every problem found (file, key, line, what is wrong).
    public static func load(directory: URL) throws -> LayerCatalog {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw LayerCatalogError(problems: [.init(file: directory.path, key: "", problem: "layer directory not found")])
        }
        let files = try fm.contentsOfDirectory(atPath: directory.path)
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
        var layers: [LayerDefinition] = []
        var problems: [LayerDefinitionError] = []
        for name in files {
            let url = directory.appendingPathComponent(name)
            do {
                layers.append(try parse(yaml: String(contentsOf: url, encoding: .utf8), file: name))
            } catch let e as LayerCatalogError {
                problems += e.problems
            } catch {
                problems.append(.init(file: name, key: "", problem: "cannot read: \(error)"))
            }
        }
        var seen: [String: String] = [:]
        for layer in layers {
            if let other = seen[layer.id] {
                problems.append(.init(file: layer.file, key: "id", problem: "\"\(layer.id)\" is already defined in \(other)"))
            }
            seen[layer.id] = layer.file
        }
        if files.isEmpty {
            problems.append(.init(file: directory.path, key: "", problem: "no *.yaml layer definitions found"))
        }
        if !problems.isEmpty { throw LayerCatalogError(problems: problems) }
        return LayerCatalog(layers: layers)
    }

    /// Parses one layer definition; throws `LayerCatalogError` with every problem in it.
    public static func parse(yaml: String, file: String) throws -> LayerDefinition {
        let r = DefinitionReader(file: file)
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw LayerCatalogError(problems: [.init(file: file, key: "", problem: "not valid YAML: \(error)")])
        }
        guard let root else {
            throw LayerCatalogError(problems: [.init(file: file, key: "", problem: "the file is empty")])
        }
        let topKeys: Set<String> = ["id", "title", "description", "geometry", "storage_crs", "access", "department",
                                    "key", "license", "attribution", "extent", "zoom", "style", "source", "fields", "readings", "shared_with"]
        let m = r.mapping(root, "", allowed: topKeys)
        let definition = LayerParser(reader: r).layer(m, file: file)
        if !r.problems.isEmpty || definition == nil {
            throw LayerCatalogError(problems: r.problems.isEmpty
                ? [.init(file: file, key: "", problem: "incomplete definition")] : r.problems)
        }
        return definition!
    }
}

/// Turns a definition's YAML mapping into a `LayerDefinition`, reporting problems to the reader.
struct LayerParser {
    let reader: DefinitionReader
    private var r: DefinitionReader { reader }

    /// Lowercase ASCII identifier: a letter, then letters, digits and `_`.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first), s.unicodeScalars.count <= 63 else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    func layer(_ m: [String: Node]?, file: String) -> LayerDefinition? {
        guard let m else { return nil }
        let id = r.string(m, "id", "", required: true)
        if let id, !Self.isIdentifier(id) {
            r.fail("id", m["id"], "\"\(id)\" must be lowercase ASCII letters, digits and _ and start with a letter")
        }
        let title = r.localized(m, "title", "", required: true)
        let description = r.localized(m, "description", "") ?? title
        let geometry: LayerGeometryType? = r.enumValue(m, "geometry", "", required: true)
        let crs = self.crs(m, "storage_crs", "") ?? .jgd2011ZoneIX
        let access: Visibility? = r.enumValue(m, "access", "", required: true)
        let department = r.string(m, "department", "", required: true)
        if let department, !Self.isIdentifier(department) {
            r.fail("department", m["department"], "\"\(department)\" must be a lowercase identifier such as civil_engineering")
        }
        let key = r.string(m, "key", "", required: true)
        let sharedWith = r.strings(m, "shared_with", "") ?? []
        for d in sharedWith where !Self.isIdentifier(d) {
            r.fail("shared_with", m["shared_with"], "\"\(d)\" must be a department identifier such as sewer")
        }
        let license = r.string(m, "license", "") ?? "CC-BY-4.0"
        let attribution = r.string(m, "attribution", "") ?? ""
        let extent = self.extent(m)
        let (minZoom, maxZoom) = zoom(m)
        let style = self.style(m)
        let source = self.source(m["source"], "source", requireGeometryColumns: true)
        if source == nil, m["source"] == nil { r.fail("source", nil, "is required") }
        let fields = self.fields(m)
        let readings = self.readings(m)

        if let key, let fields, !fields.contains(where: { $0.name == key }) {
            r.fail("key", m["key"], "\"\(key)\" is not one of the layer's fields")
        }
        if let key, let field = fields?.first(where: { $0.name == key }), !field.required {
            r.fail("key", m["key"], "the key field \"\(key)\" must be required")
        }
        guard let id, let title, let geometry, let access, let department, let key, let extent, let source,
              let fields, let description else { return nil }
        return LayerDefinition(id: id, title: title, description: description, geometryType: geometry,
                               storageCRS: crs, access: access, department: department, sharedWith: sharedWith, keyField: key,
                               fields: fields, source: source, plausibleExtent: extent, minZoom: minZoom,
                               maxZoom: maxZoom, style: style, license: license, attribution: attribution,
                               readings: readings, file: file)
    }

    func crs(_ m: [String: Node]?, _ key: String, _ path: String) -> CRS? {
        guard let s = r.string(m, key, path) else { return nil }
        guard let crs = CRS(string: s) else {
            r.fail(r.join(path, key), m?[key], "\"\(s)\" is not a CRS (write it as EPSG:6677)")
            return nil
        }
        guard crs.isKnown else {
            r.fail(r.join(path, key), m?[key], "\(crs) is not in PROJ's database")
            return nil
        }
        return crs
    }

    func extent(_ m: [String: Node]) -> BoundingBoxLL? {
        guard let node = m["extent"] else { r.fail("extent", nil, "is required: [minLon, minLat, maxLon, maxLat]"); return nil }
        guard let values = r.strings(m, "extent", ""), values.count == 4 else {
            r.fail("extent", node, "expected [minLon, minLat, maxLon, maxLat]"); return nil
        }
        let n = values.compactMap(Double.init)
        guard n.count == 4, n[0] < n[2], n[1] < n[3], n[0] >= -180, n[2] <= 180, n[1] >= -90, n[3] <= 90 else {
            r.fail("extent", node, "expected [minLon, minLat, maxLon, maxLat] in degrees with min < max")
            return nil
        }
        return BoundingBoxLL(minLon: n[0], minLat: n[1], maxLon: n[2], maxLat: n[3])
    }

    func zoom(_ m: [String: Node]) -> (Int, Int) {
        let z = r.mapping(m["zoom"], "zoom", allowed: ["min", "max"])
        let lo = r.integer(z, "min", "zoom") ?? 10
        let hi = r.integer(z, "max", "zoom") ?? 18
        if !(0...24).contains(lo) || !(0...24).contains(hi) || lo > hi {
            r.fail("zoom", m["zoom"], "min and max must be within 0...24 with min ≤ max")
        }
        return (lo, hi)
    }

    func style(_ m: [String: Node]) -> StyleHints {
        var hints = StyleHints()
        guard let s = r.mapping(m["style"], "style", allowed: ["color", "width", "icon", "opacity", "classes"]) else { return hints }
        if let c = r.string(s, "color", "style") { hints.color = checkedColor(c, "style.color", s["color"]) }
        hints.width = r.number(s, "width", "style") ?? hints.width
        hints.icon = r.string(s, "icon", "style")
        hints.opacity = r.number(s, "opacity", "style") ?? hints.opacity
        for (i, node) in (r.sequence(s, "classes", "style") ?? []).enumerated() {
            let path = "style.classes[\(i)]"
            let c = r.mapping(node, path, allowed: ["field", "equals", "min", "color", "width", "label"])
            guard let field = r.string(c, "field", path, required: true) else { continue }
            hints.classes.append(StyleClass(field: field, equals: r.string(c, "equals", path), min: r.number(c, "min", path),
                                            color: r.string(c, "color", path).map { checkedColor($0, "\(path).color", c?["color"]) },
                                            width: r.number(c, "width", path), label: r.localized(c, "label", path)))
        }
        return hints
    }

    func checkedColor(_ c: String, _ path: String, _ node: Node?) -> String {
        if (try? /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.wholeMatch(in: c)) == nil {
            r.fail(path, node, "\"\(c)\" is not a colour like #1a7f37")
        }
        return c
    }

    func source(_ node: Node?, _ path: String, requireGeometryColumns: Bool) -> SourceDefinition? {
        let allowed: Set<String> = ["files", "format", "encoding", "crs", "geometry", "delimiter", "missing"]
        guard let s = r.mapping(node, path, allowed: allowed) else { return nil }
        let files = r.strings(s, "files", path)
        if files == nil || files!.isEmpty { r.fail(r.join(path, "files"), s["files"], "is required: the file name patterns this layer takes") }
        let format: SourceFormat? = r.enumValue(s, "format", path, required: true)
        let encoding: TextEncoding = r.enumValue(s, "encoding", path) ?? .auto
        let crs = self.crs(s, "crs", path)
        var delimiter: Character = ","
        if let d = r.string(s, "delimiter", path) {
            if d == "\\t" || d == "tab" { delimiter = "\t" }
            else if d.count == 1 { delimiter = d.first! }
            else { r.fail(r.join(path, "delimiter"), s["delimiter"], "must be one character (or \"tab\")") }
        }
        let missing = r.strings(s, "missing", path) ?? [""]
        var geometry: CSVGeometryColumns?
        if let g = r.mapping(s["geometry"], r.join(path, "geometry"), allowed: ["lat", "lon", "northing", "easting", "wkt"]) {
            let gp = r.join(path, "geometry")
            if let lat = r.string(g, "lat", gp), let lon = r.string(g, "lon", gp) { geometry = .latLon(lat: lat, lon: lon) }
            else if let n = r.string(g, "northing", gp), let e = r.string(g, "easting", gp) { geometry = .northingEasting(northing: n, easting: e) }
            else if let w = r.string(g, "wkt", gp) { geometry = .wkt(w) }
            else { r.fail(gp, s["geometry"], "give lat and lon, northing and easting, or wkt") }
        }
        if format == .csv {
            if requireGeometryColumns && geometry == nil {
                r.fail(r.join(path, "geometry"), nil, "a CSV source must say where its geometry is (lat/lon, northing/easting or wkt)")
            }
            if case .latLon = geometry, crs != nil, crs?.isGeographic == false {
                r.fail(r.join(path, "crs"), s["crs"], "lat/lon columns need a geographic CRS such as EPSG:4326")
            }
            if case .northingEasting = geometry, crs == nil {
                r.fail(r.join(path, "crs"), nil, "northing/easting columns need a projected CRS such as EPSG:6677")
            }
        }
        guard let files, let format else { return nil }
        return SourceDefinition(files: files, format: format, encoding: encoding, crs: crs, geometry: geometry,
                                delimiter: delimiter, missingValues: missing)
    }

    func fields(_ m: [String: Node]) -> [FieldDefinition]? {
        guard let list = r.sequence(m, "fields", "") else { r.fail("fields", nil, "is required"); return nil }
        var out: [FieldDefinition] = []
        var names = Set<String>()
        let allowed: Set<String> = ["name", "source", "type", "required", "label", "description", "visibility", "values", "unit"]
        for (i, node) in list.enumerated() {
            let path = "fields[\(i)]"
            guard let f = r.mapping(node, path, allowed: allowed) else { continue }
            guard let name = r.string(f, "name", path, required: true) else { continue }
            if !Self.isIdentifier(name) {
                r.fail("\(path).name", f["name"], "\"\(name)\" must be a lowercase identifier (letters, digits, _)")
            }
            if ["fid", "geom"].contains(name) || name.hasPrefix("_") {
                r.fail("\(path).name", f["name"], "\"\(name)\" is reserved")
            }
            if !names.insert(name).inserted { r.fail("\(path).name", f["name"], "duplicate field \"\(name)\"") }
            let type: FieldType? = r.enumValue(f, "type", path, required: true)
            let label = r.localized(f, "label", path) ?? LocalizedText(ja: name)
            guard let type else { continue }
            out.append(FieldDefinition(name: name, source: r.string(f, "source", path), type: type,
                                       required: r.bool(f, "required", path) ?? false, label: label,
                                       description: r.localized(f, "description", path),
                                       visibility: r.enumValue(f, "visibility", path) ?? .public,
                                       allowedValues: r.strings(f, "values", path), unit: r.string(f, "unit", path)))
        }
        if list.isEmpty { r.fail("fields", m["fields"], "a layer needs at least its key field") }
        return out
    }

    func readings(_ m: [String: Node]) -> ReadingsDefinition? {
        guard let node = m["readings"] else { return nil }
        let allowed: Set<String> = ["source", "site", "time", "time_format", "timezone", "value", "unit", "interval", "range"]
        guard let d = r.mapping(node, "readings", allowed: allowed) else { return nil }
        let source = self.source(d["source"], "readings.source", requireGeometryColumns: false)
        if d["source"] == nil { r.fail("readings.source", nil, "is required") }
        let site = r.string(d, "site", "readings", required: true)
        let time = r.string(d, "time", "readings", required: true)
        let value = r.string(d, "value", "readings", required: true)
        let tz = r.string(d, "timezone", "readings") ?? "+09:00"
        if (try? /^[+-]\d{2}:\d{2}$/.wholeMatch(in: tz)) == nil {
            r.fail("readings.timezone", d["timezone"], "\"\(tz)\" must be an offset like +09:00")
        }
        var interval = 600
        if let s = r.string(d, "interval", "readings") {
            if let v = Self.seconds(s) { interval = v } else {
                r.fail("readings.interval", d["interval"], "\"\(s)\" must be seconds or a duration like 10m, 1h")
            }
        }
        var range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude
        if let values = r.strings(d, "range", "readings") {
            let n = values.compactMap(Double.init)
            if n.count == 2, n[0] <= n[1] { range = n[0]...n[1] } else {
                r.fail("readings.range", d["range"], "expected [min, max]")
            }
        }
        guard let source, let site, let time, let value else { return nil }
        return ReadingsDefinition(source: source, siteColumn: site, timeColumn: time,
                                  timeFormat: r.string(d, "time_format", "readings"), timeZone: tz, valueColumn: value,
                                  unit: r.string(d, "unit", "readings") ?? "", intervalSeconds: interval, validRange: range)
    }

    /// "600", "10m", "1h", "1d" → seconds.
    static func seconds(_ s: String) -> Int? {
        if let v = Int(s), v > 0 { return v }
        guard let unit = s.last, let n = Int(s.dropLast()), n > 0 else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86400
        default: return nil
        }
    }
}
