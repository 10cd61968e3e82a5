import Features
import Foundation
import GeoCore
import HTTPTypes
import Hummingbird
import Layers
import Store

/// `/collections`, `/collections/{id}`, `/collections/{id}/queryables`, `/collections/{id}/items/{featureId}`.
struct CollectionRoutes: Sendable {
    let access: LayerAccess
    let recorder: AccessRecorder
    var decorations = FeatureDecorations()

    func register(on router: Router<ChizuContext>) {
        router.get("/collections") { request, context in try collections(request, context) }
        router.get("/collections/:collectionId") { request, context in try collection(request, context) }
        router.get("/collections/:collectionId/queryables") { request, context in try queryables(request, context) }
        router.get("/collections/:collectionId/items/:featureId") { request, context in try item(request, context) }
    }

    func docs(_ request: Request) -> OGCDocuments { OGCDocuments(base: ServerBase.url(for: request)) }

    func lonLatExtent(_ layer: LayerDefinition) throws -> BoundingBox? {
        guard let box = try access.store.extent(of: layer) else { return nil }
        return try BoundingBox(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY)
            .transformed(with: CoordinateTransformer.between(layer.storageCRS, .wgs84))
    }

    func collections(_ request: Request, _ context: ChizuContext) throws -> Response {
        let format = try request.format(allowed: [.json, .html])
        let layers = access.layers(for: context.caller)
        let infos = try Dictionary(uniqueKeysWithValues: access.store.layerInfos().map { ($0.id, $0) })
        if format == .html {
            return Responses.html(HTMLPages(lang: request.language).collections(layers.map { ($0, infos[$0.id]) }), for: request)
        }
        let d = docs(request)
        let entries = try layers.map { d.collection($0, info: infos[$0.id], extent: try lonLatExtent($0), lang: request.language) }
        return Responses.bytes(d.collections(entries).serialized(), "application/json", for: request)
    }

    func collection(_ request: Request, _ context: ChizuContext) throws -> Response {
        let layer = try access.layer(try context.parameters.require("collectionId"), for: context.caller)
        let format = try request.format(allowed: [.json, .html])
        let info = try access.store.layerInfo(layer.id)
        recorder.record(caller: context.caller, layer: layer, action: "collection", target: request.uri.path, featureCount: 0)
        if format == .html {
            return Responses.html(HTMLPages(lang: request.language).collection(layer, info: info, fields: layer.fields(for: context.caller)), for: request)
        }
        let doc = docs(request).collection(layer, info: info, extent: try lonLatExtent(layer), lang: request.language)
        return Responses.bytes(doc.serialized(), "application/json", for: request)
    }

    func queryables(_ request: Request, _ context: ChizuContext) throws -> Response {
        let layer = try access.layer(try context.parameters.require("collectionId"), for: context.caller)
        _ = try request.format(allowed: [.json])
        recorder.record(caller: context.caller, layer: layer, action: "queryables", target: request.uri.path, featureCount: 0)
        let doc = docs(request).queryables(layer, fields: layer.fields(for: context.caller), lang: request.language)
        return Responses.bytes(doc.serialized(), "application/schema+json", for: request)
    }

    func item(_ request: Request, _ context: ChizuContext) throws -> Response {
        let caller = context.caller
        let layer = try access.layer(try context.parameters.require("collectionId"), for: caller)
        let key = try context.parameters.require("featureId")
        let format = try request.format(allowed: [.json, .html])
        let (crs, isCRS84) = try ItemsParameters.responseCRS(request, layer: layer)
        let info = try access.store.layerInfo(layer.id)
        let etag = Responses.etag([layer.id, String(info?.version ?? 0), request.uri.description, LayerAccess.rightsClass(caller, layer),
                                   try decorations.version(layer)])
        if let r = Responses.notModified(request, etag: etag) { return r }
        guard let stored = try access.store.feature(of: layer, key: key) else { throw Problem.notFound("no feature '\(key)' in \(layer.id)") }
        let feature = try decorations.decorate([stored], layer: layer)[0]
        recorder.record(caller: caller, layer: layer, action: "item", target: request.uri.path, featureCount: 1)
        let fields = layer.fields(for: caller) + decorations.fields(layer)
        var headers: HTTPFields = [.eTag: etag]
        if let updated = info?.updatedAt { headers[.lastModified] = ServerBase.httpDate(updated) }
        if format == .html {
            let ll = try Geometry(wkb: feature.wkb).centroid.map { try CoordinateTransformer.between(layer.storageCRS, .wgs84).transform($0) }
            return Responses.html(HTMLPages(lang: request.language).item(layer, fields: fields, feature: feature, lonLat: ll.map { ($0.x, $0.y) },
                                                                         extra: try decorations.html(for: feature, layer: layer, lang: request.language)),
                                  headers: headers, for: request)
        }
        let output = try CoordinateOutput(crs: crs, from: layer.storageCRS, followAxisOrder: true, crs84: isCRS84)
        var out: [UInt8] = []
        try GeoJSONWriter(layer: layer, fields: fields, output: output).writeFeatures([feature], to: &out)
        // Add the links member to the one Feature object.
        out.removeLast()
        let base = ServerBase.url(for: request) + "/collections/\(layer.id)"
        out += Array(",\"links\":[{\"href\":".utf8)
        JSONWriter.string(base + "/items/\(key)", to: &out)
        out += Array(",\"rel\":\"self\",\"type\":\"application/geo+json\"},{\"href\":".utf8)
        JSONWriter.string(base, to: &out)
        out += Array(",\"rel\":\"collection\",\"type\":\"application/json\"}]}".utf8)
        headers[HTTPField.Name("Content-Crs")!] = "<\(isCRS84 ? ServedCRS.crs84 : crs.uri)>"
        return Responses.bytes(out, "application/geo+json", headers: headers, for: request)
    }
}

/// Query parameters shared by item and items endpoints.
enum ItemsParameters {
    /// The `crs` parameter: CRS84 by default.
    static func responseCRS(_ request: Request, layer: LayerDefinition) throws -> (CRS, Bool) {
        guard let s = request.query("crs") else { return (.wgs84, true) }
        guard let parsed = ServedCRS.parse(s, storage: layer.storageCRS) else {
            throw Problem.badRequest("crs '\(s)' is not offered; use one of: \(ServedCRS.uris(storage: layer.storageCRS).joined(separator: ", "))", parameter: "crs")
        }
        return parsed
    }
}

/// The server's public base URL and HTTP dates.
enum ServerBase {
    /// `http://host:port` as the client addressed us (Host header), for absolute links.
    static func url(for request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        let safe = host.allSatisfy { $0.isLetter || $0.isNumber || ".:-[]".contains($0) } ? host : "127.0.0.1"
        return "http://\(safe)"
    }

    /// RFC 9110 date from an ISO 8601 timestamp.
    static func httpDate(_ iso: String) -> String? {
        guard let d = try? Date(iso, strategy: .iso8601) else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }
}
