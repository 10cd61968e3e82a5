import Foundation

/// The web map's settings.
public struct MapSettings: Sendable, Codable, Equatable {
    /// An optional raster basemap (e.g. 地理院タイル); none by default so the map works offline.
    public var basemap: Basemap?
    /// Initial view [lon, lat] and zoom; nil: the layers' common extent.
    public var center: [Double]?
    public var zoom: Double?
    /// Folder of the web map's own files (HTML, JS, CSS); nil: `web` in the working directory.
    public var webDirectory: String?
    /// Folder holding `maplibre-gl.js` and `maplibre-gl.css` (unpacked by `make setup`); nil: `var/vendor/maplibre`.
    public var vendorDirectory: String?

    enum CodingKeys: String, CodingKey {
        case basemap, center, zoom
        case webDirectory = "web_dir"
        case vendorDirectory = "vendor_dir"
    }

    public init(basemap: Basemap? = nil, center: [Double]? = nil, zoom: Double? = nil,
                webDirectory: String? = nil, vendorDirectory: String? = nil) {
        self.basemap = basemap; self.center = center; self.zoom = zoom
        self.webDirectory = webDirectory; self.vendorDirectory = vendorDirectory
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
