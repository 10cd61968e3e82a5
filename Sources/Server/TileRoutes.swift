import Features
import Foundation
import GeoCore
import HTTPTypes
import Hummingbird
import Layers
import Synchronization
import Tiles

/// Vector tiles: `/tiles/{tileset}/{z}/{x}/{y}.mvt`, `/tiles/{tileset}.json` (TileJSON 3.0.0), OGC API -
/// Tiles (`/collections/{id}/tiles…`, `/tileMatrixSets…`) and, if given, tiles from built archives.
/// The same access rules as every other endpoint; the cache key includes the caller's view.
struct TileRoutes: Sendable {
    let access: LayerAccess
    let service: TileService
    let recorder: AccessRecorder
    /// Built archives served as tilesets named after their files (e.g. `public-archive`).
    let archives: [String: ServedArchive]
    /// Tiles already inflated for clients that do not accept gzip (the caches hold gzip'd tiles).
    let inflated = InflatedTiles()
    /// Where anonymous answers are remembered for the pre-routing hot path (nil: no shortcut).
    let shortcut: PublicTileShortcut?

    func register(on router: Router<ChizuContext>) {
        router.get("/tiles/:tileset/:z/:x/:yFile") { request, context in try tile(request, context) }
        router.get("/tiles/:tileset") { request, context in try tileJSON(request, context) }
        router.get("/collections/:collectionId/tiles") { request, context in try collectionTilesets(request, context) }
        router.get("/collections/:collectionId/tiles/WebMercatorQuad/:z/:row/:col") { request, context in
            let layer = try access.layer(try context.parameters.require("collectionId"), for: context.caller)
            return try serve(request, context, tileset: layer.id, z: try context.parameters.require("z"),
                             x: try context.parameters.require("col"), y: try context.parameters.require("row"))
        }
        router.get("/tileMatrixSets") { request, _ in
            let base = ServerBase.url(for: request)
            let doc: JSONValue = .object([("tileMatrixSets", .array([.object([
                ("id", "WebMercatorQuad"), ("title", "Google Maps Compatible for the World"),
                ("links", .array([.object([("href", .string(base + "/tileMatrixSets/WebMercatorQuad")), ("rel", "self"), ("type", "application/json")])])),
            ])]))])
            return Responses.bytes(doc.serialized(), "application/json", for: request)
        }
        router.get("/tileMatrixSets/WebMercatorQuad") { request, _ in
            Responses.bytes(Self.webMercatorQuad.serialized(), "application/json", for: request)
        }
    }

    func tileAccess(_ caller: Caller) -> TileAccess { TileAccess.caller(caller, in: access.catalog) }

    /// The tileset `id` as `caller` sees it; 404 when there is none or the caller may not see it.
    func resolve(_ id: String, for caller: Caller) throws -> Tileset {
        do {
            return try Tileset.resolve(id, catalog: access.catalog, access: tileAccess(caller))
        } catch {
            switch error {
            case .unknownTileset, .forbidden: throw Problem.notFound("no tileset '\(id)'")
            default: throw error
            }
        }
    }

    func tile(_ request: Request, _ context: ChizuContext) throws -> Response {
        let file = try context.parameters.require("yFile")
        guard file.hasSuffix(".mvt") || file.hasSuffix(".pbf") else { throw Problem.notFound("tiles end in .mvt") }
        return try serve(request, context, tileset: try context.parameters.require("tileset"), z: try context.parameters.require("z"),
                         x: try context.parameters.require("x"), y: String(file.dropLast(4)))
    }

    func serve(_ request: Request, _ context: ChizuContext, tileset: String, z zs: String, x xs: String, y ys: String) throws -> Response {
        guard let z = Int(zs), let x = Int(xs), let y = Int(ys), TileKey.isValid(z: z, x: x, y: y) else {
            throw Problem.badRequest("\(zs)/\(xs)/\(ys) is not a tile: z must be 0…30 and x, y within 0…2^z−1")
        }
        let key = try TileKey(z: z, x: x, y: y)
        let name = "\(tileset)/\(z)/\(x)/\(y)"
        let acceptsGzip = Responses.accepts(request, "gzip")
        if let served = archives[tileset] {
            guard served.isVisible(to: context.caller) else { throw Problem.notFound("no tileset '\(tileset)'") }
            guard let data = try served.archive.tile(z: z, x: x, y: y) else { return Response(status: .noContent) }
            let etag = Responses.etag([tileset, "\(z)/\(x)/\(y)", "\(data.count)"])
            let gzipped = Gzip.isCompressed(data)
            return tileResponse(data, gzipped: gzipped, plain: gzipped && !acceptsGzip ? inflated.get(name + etag, gzipped: data) : nil,
                                etag: etag, isPublic: served.isPublic, request: request)
        }
        let resolved = try resolve(tileset, for: context.caller)
        let answer = try service.answer(key, tileset: resolved)
        // Count public map use per layer (the city's access figure) and audit internal layers.
        recorder.record(caller: context.caller, layers: resolved.layers.lazy.map(\.definition), action: "tile", target: request.uri.path, featureCount: 0)
        let isPublic = context.caller.isAnonymous
        let plain = answer.gzipped.isEmpty || acceptsGzip ? nil : inflated.get(name + answer.etag, gzipped: answer.gzipped)
        if isPublic, let shortcut, request.uri.path.hasPrefix("/tiles/") {
            shortcut.remember(path: request.uri.path, gzipped: answer.gzipped.isEmpty ? nil : answer.gzipped, plain: plain,
                              etag: answer.etag, layers: resolved.layers.map(\.definition), versions: answer.versions)
        }
        if answer.gzipped.isEmpty { return Response(status: .noContent) }
        return tileResponse(answer.gzipped, gzipped: true, plain: plain, etag: answer.etag, isPublic: isPublic, request: request)
    }

    /// The route of tile requests, as request metrics name it.
    static let tilePath = "/tiles/{tileset}/{z}/{x}/{yFile}"

    /// The headers of a tile answer (without Content-Encoding).
    static func tileHeaders(etag: String, isPublic: Bool) -> HTTPFields {
        [.contentType: "application/vnd.mapbox-vector-tile", .eTag: etag, .vary: "Accept-Encoding, Authorization",
         .cacheControl: isPublic ? "public, max-age=300" : "private, max-age=60"]
    }

    /// A tile answer: 304 when the client has `etag`, else `plain` (the tile inflated, for a client
    /// without gzip) or `data` as it is (gzip'd when `gzipped`).
    func tileResponse(_ data: Data, gzipped: Bool, plain: ByteBuffer?, etag: String, isPublic: Bool, request: Request) -> Response {
        if let r = Responses.notModified(request, etag: etag) { return r }
        var headers = Self.tileHeaders(etag: etag, isPublic: isPublic)
        if let plain { return Response(status: .ok, headers: headers, body: .init(byteBuffer: plain)) }
        if gzipped { headers[.contentEncoding] = "gzip" }   // only if it could not be inflated, which a tile we made always can
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func tileJSON(_ request: Request, _ context: ChizuContext) throws -> Response {
        let file = try context.parameters.require("tileset")
        guard file.hasSuffix(".json") else { throw Problem.notFound("no resource at \(request.uri.path)") }
        let id = String(file.dropLast(5))
        let base = ServerBase.url(for: request)
        let tj: TileJSON
        if let served = archives[id] {
            guard served.isVisible(to: context.caller) else { throw Problem.notFound("no tileset '\(id)'") }
            tj = TileJSON.make(archive: served.archive, tilesURL: "\(base)/tiles/\(id)/{z}/{x}/{y}.mvt")
        } else {
            let ts = try resolve(id, for: context.caller)
            tj = try TileJSON.make(tileset: ts, tilesURL: "\(base)/tiles/\(id)/{z}/{x}/{y}.mvt", store: access.store)
        }
        return Responses.bytes(Array(try tj.encoded()), "application/json", for: request)
    }

    func collectionTilesets(_ request: Request, _ context: ChizuContext) throws -> Response {
        let layer = try access.layer(try context.parameters.require("collectionId"), for: context.caller)
        let base = ServerBase.url(for: request)
        let doc: JSONValue = .object([("tilesets", .array([.object([
            ("title", .string(layer.title.ja)), ("dataType", "vector"), ("crs", "http://www.opengis.net/def/crs/EPSG/0/3857"),
            ("tileMatrixSetURI", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"),
            ("links", .array([
                .object([("href", .string(base + "/tileMatrixSets/WebMercatorQuad")), ("rel", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"), ("type", "application/json")]),
                .object([("href", .string(base + "/collections/\(layer.id)/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")),
                         ("rel", "item"), ("type", "application/vnd.mapbox-vector-tile"), ("templated", true)]),
                .object([("href", .string(base + "/tiles/\(layer.id).json")), ("rel", "describedby"), ("type", "application/json")]),
            ])),
        ])]))])
        return Responses.bytes(doc.serialized(), "application/json", for: request)
    }

    /// The WebMercatorQuad tile matrix set (OGC 17-083r4), levels 0–24.
    static let webMercatorQuad: JSONValue = {
        let origin = WebMercator.extent
        let matrices: [JSONValue] = (0...24).map { z in
            let n = 1 << z
            let cell = 2 * origin / Double(n * 256)
            return .object([("id", .string(String(z))), ("scaleDenominator", .double(cell / 0.00028)), ("cellSize", .double(cell)),
                            ("cornerOfOrigin", "topLeft"), ("pointOfOrigin", .array([.double(-origin), .double(origin)])),
                            ("tileWidth", 256), ("tileHeight", 256), ("matrixWidth", .int(Int64(n))), ("matrixHeight", .int(Int64(n)))])
        }
        return .object([("id", "WebMercatorQuad"), ("title", "Google Maps Compatible for the World"),
                        ("uri", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"),
                        ("crs", "http://www.opengis.net/def/crs/EPSG/0/3857"), ("orderedAxes", ["X", "Y"]), ("tileMatrices", .array(matrices))])
    }()
}

/// A built archive and who may be served it. `chizu tiles build` writes public layers and public fields
/// only, and such an archive is for everyone; one whose metadata declares an internal layer, an
/// internal or unknown field, or a layer the catalog does not know is for those who may see all of it.
struct ServedArchive: Sendable {
    /// One layer the archive declares: its definition (nil when the catalog has none) and whether
    /// the archive holds fields the public may not see.
    struct Declared: Sendable {
        let layer: LayerDefinition?
        let hiddenFields: Bool
    }

    let archive: TileArchive
    let declared: [Declared]

    init(_ archive: TileArchive, catalog: LayerCatalog) {
        self.archive = archive
        declared = archive.metadata.vectorLayers.map { vl in
            guard let layer = catalog.layer(vl.id) else { return Declared(layer: nil, hiddenFields: true) }
            let publicFields = Set(layer.visibleFields(includeInternal: false).map(\.name))
            return Declared(layer: layer, hiddenFields: !vl.fields.keys.allSatisfy(publicFields.contains))
        }
    }

    /// True when everything in it is public: anyone may have it and shared caches may keep it.
    var isPublic: Bool { declared.allSatisfy { $0.layer?.access == .public && !$0.hiddenFields } }

    /// True when the caller may see every layer and field it declares.
    func isVisible(to caller: Caller) -> Bool {
        declared.allSatisfy { d in
            guard let layer = d.layer else { return caller.kind == .admin }
            return layer.isVisible(to: caller) && (!d.hiddenFields || layer.seesInternal(caller))
        }
    }
}

/// Inflated copies of recently served tiles (bounded LRU, 32 MB), so a client that does not accept
/// gzip costs a lookup rather than an inflate per request. Keys carry the tile's ETag, which changes
/// with the layer versions and the caller's view: no stale or wider-rights tile is reused.
final class InflatedTiles: Sendable {
    private let cache = Mutex(LRUCache<String, ByteBuffer>(capacity: 32 << 20))

    func get(_ key: String, gzipped: Data) -> ByteBuffer? {
        if let hit = cache.withLock({ $0.get(key) }) { return hit }
        guard let plain = try? Gzip.decompress(gzipped) else { return nil }
        let buffer = ByteBuffer(bytes: plain)
        cache.withLock { $0.set(key, buffer, cost: buffer.readableBytes + key.utf8.count + 64) }
        return buffer
    }
}
