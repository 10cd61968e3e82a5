import Foundation
import GeoCore

/// One tile of a built pyramid: its key and gzip'd MVT bytes with their SHA-256 (for deduplication).
public struct BuiltTile: Sendable, Hashable {
    public var key: TileKey
    public var gzipped: Data
    public var digest: Data
    /// A built tile; `digest` is the SHA-256 of the uncompressed MVT.
    public init(key: TileKey, gzipped: Data, digest: Data) { self.key = key; self.gzipped = gzipped; self.digest = digest }
}

/// What an archive says about its tiles (MBTiles `metadata` rows, PMTiles header and JSON metadata).
public struct TileArchiveMetadata: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var attribution: String
    public var minZoom: Int
    public var maxZoom: Int
    /// [west, south, east, north] in degrees.
    public var bounds: [Double]
    /// [longitude, latitude, zoom].
    public var center: [Double]
    public var vectorLayers: [TileJSON.VectorLayer]

    /// Metadata from its parts.
    public init(name: String, description: String, attribution: String, minZoom: Int, maxZoom: Int,
                bounds: [Double], center: [Double], vectorLayers: [TileJSON.VectorLayer]) {
        self.name = name; self.description = description; self.attribution = attribution
        self.minZoom = minZoom; self.maxZoom = maxZoom; self.bounds = bounds; self.center = center
        self.vectorLayers = vectorLayers
    }

    /// The metadata of a TileJSON document restricted to a zoom range.
    public init(tileJSON t: TileJSON, minZoom: Int, maxZoom: Int) {
        self.init(name: t.name, description: t.description, attribution: t.attribution, minZoom: minZoom,
                  maxZoom: maxZoom, bounds: t.bounds,
                  center: [t.center[0], t.center[1], Double(min(max(Int(t.center[2]), minZoom), maxZoom))],
                  vectorLayers: t.vector_layers)
    }

    /// `{"vector_layers": [...]}` as MBTiles' `json` row and PMTiles' metadata carry it.
    func vectorLayersJSON(extra: [String: String] = [:]) throws -> Data {
        struct Doc: Encodable {
            var vector_layers: [TileJSON.VectorLayer]
            var extra: [String: String]
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(vector_layers, forKey: Key("vector_layers"))
                for (k, v) in extra { try c.encode(v, forKey: Key(k)) }
            }
            struct Key: CodingKey {
                var stringValue: String; var intValue: Int? { nil }
                init(_ s: String) { stringValue = s }
                init?(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(Doc(vector_layers: vectorLayers, extra: extra))
    }

    static func vectorLayers(fromJSON data: Data) -> [TileJSON.VectorLayer] {
        struct Doc: Decodable { var vector_layers: [TileJSON.VectorLayer]? }
        return (try? JSONDecoder().decode(Doc.self, from: data))?.vector_layers ?? []
    }
}
