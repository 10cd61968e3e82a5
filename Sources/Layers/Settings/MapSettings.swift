import Foundation

/// The web map's settings.
public struct MapSettings: Sendable, Codable, Equatable {
    /// An optional raster basemap (e.g. 地理院タイル); none by default so the map works offline.
    public var basemap: Basemap?
    /// Initial view [lon, lat] and zoom; nil: the layers' common extent.
    public var center: [Double]?
    public var zoom: Double?

    public init(basemap: Basemap? = nil, center: [Double]? = nil, zoom: Double? = nil) {
        self.basemap = basemap; self.center = center; self.zoom = zoom
    }

    /// A raster XYZ basemap with its attribution.
    public struct Basemap: Sendable, Codable, Equatable {
        public var url: String
        public var attribution: String
        public var maxzoom: Int?
        public init(url: String, attribution: String, maxzoom: Int? = nil) {
            self.url = url; self.attribution = attribution; self.maxzoom = maxzoom
        }
    }
}
