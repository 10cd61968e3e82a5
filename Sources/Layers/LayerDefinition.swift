import GeoCore

/// Text in Japanese and English. Japanese is the primary language; English falls back to it.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var ja: String
    public var en: String
    public init(ja: String, en: String? = nil) { self.ja = ja; self.en = en ?? ja }
}

/// Who may see a layer or a field.
public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everyone, including anonymous citizens (公開型GIS).
    case `public`
    /// Only departments whose token allows it (統合型GIS).
    case `internal`
}

/// The geometry type a layer stores.
public enum LayerGeometryType: String, Sendable, Hashable, Codable, CaseIterable {
    case point, linestring, polygon, multipoint, multilinestring, multipolygon

    /// The SpatiaLite / OGC name, e.g. "LINESTRING".
    public var ogcName: String { rawValue.uppercased() }
}

/// The type of an attribute field.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    case text, integer, real, date, datetime, boolean
}

/// One attribute of a layer: its canonical name, where it comes from, how it is typed and who sees it.
public struct FieldDefinition: Sendable, Hashable {
    /// Canonical field name (ASCII identifier, used in the database, APIs and tiles).
    public var name: String
    /// Column name in the source file (often Japanese); defaults to `name`.
    public var source: String
    public var type: FieldType
    public var required: Bool
    public var label: LocalizedText
    public var description: LocalizedText?
    public var visibility: Visibility
    /// Values allowed (for coded fields such as road class), if restricted.
    public var allowedValues: [String]?
    /// Unit shown to users ("m", "mm", "kg").
    public var unit: String?

    public init(name: String, source: String? = nil, type: FieldType, required: Bool = false,
                label: LocalizedText, description: LocalizedText? = nil, visibility: Visibility = .public,
                allowedValues: [String]? = nil, unit: String? = nil) {
        self.name = name; self.source = source ?? name; self.type = type; self.required = required
        self.label = label; self.description = description; self.visibility = visibility
        self.allowedValues = allowedValues; self.unit = unit
    }
}

/// The file format a layer's source arrives in.
public enum SourceFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Anything GDAL/OGR opens (Shapefile, GeoJSON, GeoPackage, KML, GML, ...).
    case ogr
    /// Delimited text read by Chizu itself, so encoding and geometry columns follow the definition.
    case csv
}

/// Text encoding of a source file.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Windows Shift_JIS, as most Japanese municipal systems export.
    case cp932
    case utf8 = "utf-8"
    /// BOM, then valid UTF-8, then CP932.
    case auto
}

/// Where a CSV keeps its geometry.
public enum CSVGeometryColumns: Sendable, Hashable {
    /// Latitude and longitude columns (degrees).
    case latLon(lat: String, lon: String)
    /// Survey-convention columns: X is northing, Y is easting (metres, e.g. EPSG:6677).
    case northingEasting(northing: String, easting: String)
    /// One column holding WKT.
    case wkt(String)
}

/// How a layer's source files are read.
public struct SourceDefinition: Sendable, Hashable {
    /// File name patterns this layer takes (`*` and `?` wildcards), used by `ingest --all`.
    public var files: [String]
    public var format: SourceFormat
    /// Text encoding; for OGR sources this overrides a `.cpg` file.
    public var encoding: TextEncoding
    /// CRS of the source coordinates; nil means "from the file" (e.g. a Shapefile's `.prj`).
    public var crs: CRS?
    /// For CSV: where the geometry is.
    public var geometry: CSVGeometryColumns?
    /// For CSV: the delimiter (default ",").
    public var delimiter: Character
    /// Cell values that mean "missing" (never 0): e.g. `///`, `-`, `欠測`, empty.
    public var missingValues: [String]

    public init(files: [String], format: SourceFormat, encoding: TextEncoding = .auto, crs: CRS? = nil,
                geometry: CSVGeometryColumns? = nil, delimiter: Character = ",", missingValues: [String] = [""]) {
        self.files = files; self.format = format; self.encoding = encoding; self.crs = crs
        self.geometry = geometry; self.delimiter = delimiter; self.missingValues = missingValues
    }
}

/// Time-series readings attached to a sensor layer's sites (e.g. rain-gauge 10-minute rainfall).
public struct ReadingsDefinition: Sendable, Hashable {
    /// Source of the readings (a CSV without geometry).
    public var source: SourceDefinition
    /// Column naming the site; matches the layer's key field.
    public var siteColumn: String
    /// Column holding the observation time.
    public var timeColumn: String
    /// Date pattern of the time column when it is not ISO 8601 (e.g. "yyyy-MM-dd HH:mm").
    public var timeFormat: String?
    /// Offset applied to times without one, e.g. "+09:00" (JST).
    public var timeZone: String
    /// Column holding the value.
    public var valueColumn: String
    public var unit: String
    /// The nominal interval between readings, in seconds (600 for 10 minutes).
    public var intervalSeconds: Int
    /// Values outside this range are rejected as absurd.
    public var validRange: ClosedRange<Double>

    public init(source: SourceDefinition, siteColumn: String, timeColumn: String, timeFormat: String?,
                timeZone: String, valueColumn: String, unit: String, intervalSeconds: Int,
                validRange: ClosedRange<Double>) {
        self.source = source; self.siteColumn = siteColumn; self.timeColumn = timeColumn
        self.timeFormat = timeFormat; self.timeZone = timeZone; self.valueColumn = valueColumn
        self.unit = unit; self.intervalSeconds = intervalSeconds; self.validRange = validRange
    }
}

/// A styling rule: features whose `field` equals `value` (or is ≥ `min`) get these hints.
public struct StyleClass: Sendable, Hashable {
    public var field: String
    public var equals: String?
    public var min: Double?
    public var color: String?
    public var width: Double?
    public var label: LocalizedText?
}

/// Hints for drawing a layer on the web map; the map's style is generated from them.
public struct StyleHints: Sendable, Hashable {
    /// CSS colour, e.g. "#d94f1e".
    public var color: String
    /// Line width or point radius in pixels.
    public var width: Double
    /// Icon name for point layers.
    public var icon: String?
    public var opacity: Double
    /// Ordered rules; the first that matches wins.
    public var classes: [StyleClass]

    public init(color: String = "#3366cc", width: Double = 2, icon: String? = nil, opacity: Double = 1,
                classes: [StyleClass] = []) {
        self.color = color; self.width = width; self.icon = icon; self.opacity = opacity; self.classes = classes
    }
}

/// A layer of the city's GIS, as defined by one `layers/*.yaml` file.
public struct LayerDefinition: Sendable, Hashable, Identifiable {
    /// Identifier (lowercase ASCII, digits and `_`), also the table and collection name.
    public var id: String
    public var title: LocalizedText
    public var description: LocalizedText
    public var geometryType: LayerGeometryType
    /// CRS the store keeps coordinates in (EPSG:6677 for Isehara).
    public var storageCRS: CRS
    public var access: Visibility
    /// The department that owns the layer (e.g. `civil_engineering`, `sewer`, `sanitation`).
    public var department: String
    /// Other departments that see the layer's internal parts (統合型GIS sharing).
    public var sharedWith: [String] = []
    /// The stable key field: unique within the layer, used for upserts and feature ids.
    public var keyField: String
    public var fields: [FieldDefinition]
    public var source: SourceDefinition
    /// Features outside this lon/lat box are implausible (e.g. swapped axes).
    public var plausibleExtent: BoundingBoxLL
    public var minZoom: Int
    public var maxZoom: Int
    public var style: StyleHints
    /// SPDX-like licence id, e.g. "CC-BY-4.0".
    public var license: String
    public var attribution: String
    /// Present on sensor layers.
    public var readings: ReadingsDefinition?
    /// The file the definition came from.
    public var file: String

    /// The field with this canonical name.
    public func field(named name: String) -> FieldDefinition? { fields.first { $0.name == name } }

    /// Fields the caller may see: all of them when `includeInternal`, otherwise public ones only.
    public func visibleFields(includeInternal: Bool) -> [FieldDefinition] {
        includeInternal ? fields : fields.filter { $0.visibility == .public }
    }
}

/// A lon/lat bounding box (degrees), as written in layer definitions.
public struct BoundingBoxLL: Sendable, Hashable, Codable {
    public var minLon: Double, minLat: Double, maxLon: Double, maxLat: Double
    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon; self.minLat = minLat; self.maxLon = maxLon; self.maxLat = maxLat
    }
    public func contains(lon: Double, lat: Double) -> Bool {
        lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat
    }
}
