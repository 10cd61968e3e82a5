import Foundation
import GeoCore
import Layers
import Store

/// A feature that passed every check, possibly after a repair.
struct PreparedFeature: Sendable {
    var record: FeatureRecord
    /// Set when make-valid repaired the geometry.
    var repair: FeatureProblem?
}

/// Maps a source feature through the layer definition: attributes renamed and typed, geometry parsed,
/// checked (empty, NaN/infinite, type, plausible extent — spotting swapped axes), reprojected to the
/// storage CRS with PROJ, and validated with GEOS (repaired with make-valid, and reported as such).
struct FeaturePreparer: Sendable {
    let layer: LayerDefinition
    let converter: FieldConverter

    init(layer: LayerDefinition) {
        self.layer = layer
        self.converter = FieldConverter(missingValues: layer.source.missingValues)
    }

    /// Where each of the layer's fields sits in features read with `columns`.
    func positions(in columns: SourceColumns) -> [Int?] {
        layer.fields.map { columns.position(of: $0.source) }
    }

    func prepare(_ feature: SourceFeature, file: String, sourceCRS: CRS,
                 transformer: CoordinateTransformer, positions: [Int?]? = nil) -> Result<PreparedFeature, FeatureProblems> {
        let positions = positions ?? self.positions(in: feature.attributes.columns)
        var problems: [FeatureProblem] = []
        func problem(_ field: String?, _ kind: String, _ message: String) {
            problems.append(FeatureProblem(file: file, location: feature.location, field: field, kind: kind, message: message))
        }
        var properties: [String: FieldValue] = [:]
        for (field, position) in zip(layer.fields, positions) {
            switch converter.convert(position.map { feature.attributes[position: $0] } ?? .missing, for: field) {
            case .success(let v): properties[field.name] = v
            case .failure(let p): problem(field.source == field.name ? field.name : "\(field.source) (\(field.name))", p.kind, p.description)
            }
        }
        var repair: FeatureProblem?
        var wkb: [UInt8] = []
        switch geometry(feature.geometry, sourceCRS: sourceCRS, transformer: transformer) {
        case .failure(let g): problem("geometry", g.kind, g.message)
        case .success(let (g, reason)):
            wkb = g.wkb
            if let reason {
                repair = FeatureProblem(file: file, location: feature.location, field: "geometry", kind: "repaired-geometry",
                                        message: "invalid geometry (\(reason)) repaired with make-valid", repaired: true)
            }
        }
        if !problems.isEmpty { return .failure(FeatureProblems(problems)) }
        return .success(PreparedFeature(record: FeatureRecord(properties: properties, wkb: wkb), repair: repair))
    }

    struct GeometryProblem: Error { let kind: String; let message: String }

    /// The checked geometry in the storage CRS, and the validity problem it was repaired from.
    ///
    /// Works on the decoded structure once (no repeated WKB round trips) and asks GEOS only where a
    /// defect is possible: points are always valid, lines are checked for two distinct positions here,
    /// polygons go through GEOS's validity test.
    func geometry(_ input: GeometryInput, sourceCRS: CRS,
                  transformer: CoordinateTransformer) -> Result<(Geometry, String?), GeometryProblem> {
        var value: GeometryValue
        do {
            switch input {
            case .missing: return .failure(GeometryProblem(kind: "missing-geometry", message: "the feature has no geometry"))
            case .point(let c): value = .point(c)
            case .wkb(let bytes): value = try Geometry(wkb: bytes).value
            case .wkt(let text): value = try Geometry(wkt: text).value
            }
        } catch {
            return .failure(GeometryProblem(kind: "bad-geometry", message: "\(error)"))
        }
        var bad: Coordinate?
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        var count = 0
        value.forEachCoordinate { c in
            if !c.isFinite { if bad == nil { bad = c }; return }
            count += 1
            minX = min(minX, c.x); maxX = max(maxX, c.x); minY = min(minY, c.y); maxY = max(maxY, c.y)
        }
        if let c = bad { return .failure(GeometryProblem(kind: "bad-coordinate", message: "coordinate \(c) is NaN or infinite")) }
        if count == 0 || value.isEmpty { return .failure(GeometryProblem(kind: "empty-geometry", message: "the geometry is empty")) }
        guard let typed = conformed(value) else {
            return .failure(GeometryProblem(kind: "wrong-geometry-type",
                                            message: "\(value.geometryType.name) where the layer holds \(layer.geometryType.rawValue)"))
        }
        if let outside = extentProblem(BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY), sourceCRS: sourceCRS) {
            return .failure(outside)
        }
        do {
            let moved = try transformer.transform(typed.coordinates)
            var i = 0
            value = typed.mapCoordinates { _ in defer { i += 1 }; return moved[i] }
        } catch {
            return .failure(GeometryProblem(kind: "bad-coordinate", message: "cannot reproject from \(sourceCRS): \(error)"))
        }
        do {
            if let problem = value.structuralProblem {
                return .failure(GeometryProblem(kind: "invalid-geometry", message: problem))
            }
            let stored = try Geometry(value)
            if Self.validWithoutGEOS(value) { return .success((stored, nil)) }
            guard let reason = try stored.validityReason() else { return .success((stored, nil)) }
            let repaired = try stored.makeValid()
            guard !repaired.isEmpty, let fixedValue = conformed(repaired.value), let fixed = try? Geometry(fixedValue),
                  try fixed.validityReason() == nil else {
                return .failure(GeometryProblem(kind: "invalid-geometry", message: "invalid geometry (\(reason)) that make-valid cannot keep as \(layer.geometryType.rawValue)"))
            }
            return .success((fixed, reason))
        } catch {
            return .failure(GeometryProblem(kind: "invalid-geometry", message: "\(error)"))
        }
    }

    /// Points are always valid; a line is valid when it has two distinct positions. Everything else
    /// (polygons, collections, degenerate lines) is left to GEOS.
    static func validWithoutGEOS(_ v: GeometryValue) -> Bool {
        func lineOK(_ cs: [Coordinate]) -> Bool { cs.count >= 2 && cs.contains { $0 != cs[0] } }
        switch v {
        case .point, .multiPoint: return true
        case .lineString(let cs): return lineOK(cs)
        case .multiLineString(let ls): return ls.allSatisfy(lineOK)
        default: return false
        }
    }

    /// The value as the layer's type: single parts promoted to multi, one-part multis unwrapped.
    func conformed(_ v: GeometryValue) -> GeometryValue? {
        switch (layer.geometryType, v) {
        case (.point, .point), (.linestring, .lineString), (.polygon, .polygon),
             (.multipoint, .multiPoint), (.multilinestring, .multiLineString), (.multipolygon, .multiPolygon): return v
        case (.point, .multiPoint(let ps)) where ps.count == 1: return .point(ps[0])
        case (.linestring, .multiLineString(let ls)) where ls.count == 1: return .lineString(ls[0])
        case (.polygon, .multiPolygon(let ps)) where ps.count == 1: return .polygon(ps[0])
        case (.multipoint, .point(let p)): return .multiPoint([p])
        case (.multilinestring, .lineString(let l)): return .multiLineString([l])
        case (.multipolygon, .polygon(let p)): return .multiPolygon([p])
        default: return nil
        }
    }

    /// A problem when the geometry's bounding box lies outside the layer's plausible lon/lat extent,
    /// saying so when swapping the axes would have put it inside.
    func extentProblem(_ box: BoundingBox, sourceCRS: CRS) -> GeometryProblem? {
        let corners = [Coordinate(x: box.minX, y: box.minY), Coordinate(x: box.maxX, y: box.maxY)]
        let e = layer.plausibleExtent
        func inside(_ cs: [Coordinate]) -> Bool {
            guard let ll = try? CoordinateTransformer.between(sourceCRS, .wgs84).transform(cs) else { return false }
            return ll.allSatisfy { e.contains(lon: $0.x, lat: $0.y) }
        }
        if inside(corners) { return nil }
        let swapped = corners.map { Coordinate(x: $0.y, y: $0.x) }
        let at = box.minX == box.maxX && box.minY == box.maxY ? "\(corners[0])"
            : "the box \(corners[0])–\(corners[1])"
        let extent = "[\(e.minLon), \(e.minLat), \(e.maxLon), \(e.maxLat)]"
        if inside(swapped) {
            let what = sourceCRS.isGeographic ? "latitude and longitude look swapped"
                : "northing and easting look swapped (in Japanese survey data X is northing, Y is easting)"
            return GeometryProblem(kind: "swapped-axes", message: "\(what): \(at) lies outside the layer's extent \(extent) but fits when swapped")
        }
        return GeometryProblem(kind: "outside-extent", message: "\(at) in \(sourceCRS) lies outside the layer's plausible extent \(extent)")
    }
}

/// The problems that rejected one feature.
struct FeatureProblems: Error, Sendable {
    var problems: [FeatureProblem]
    init(_ problems: [FeatureProblem]) { self.problems = problems }
    func forEach(_ body: (FeatureProblem) -> Void) { problems.forEach(body) }
}
