import Features
import Foundation
import HTTPTypes
import Hummingbird
import Layers
import Store

/// `/collections/{id}/items` (GeoJSON, HTML, CSV; filtered and paged) and
/// `/collections/{id}/download` (the whole layer, streamed in pages, constant memory).
struct ItemsRoutes: Sendable {
    let access: LayerAccess
    let recorder: AccessRecorder
    let filterCompiler: FilterCompiler?
    var decorations = FeatureDecorations()
    /// Recently built pages (nil: none kept).
    var cache: ResponseCache? = nil

    func register(on router: Router<ChizuContext>) {
        router.get("/collections/:collectionId/items") { request, context in try items(request, context) }
        router.get("/collections/:collectionId/download") { request, context in try download(request, context) }
    }

    static func queryItems(_ request: Request) -> [(String, String)] {
        guard let q = request.uri.query, !q.isEmpty else { return [] }
        return q.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    func parse(_ request: Request, layer: LayerDefinition, fields: [FieldDefinition]) throws -> ItemsRequest {
        do {
            return try ItemsRequest.parse(Self.queryItems(request), layer: layer, fields: fields, filterCompiler: filterCompiler)
        } catch let e as QueryError {
            throw Problem.badRequest(e.message, parameter: e.parameter)
        }
    }

    func items(_ request: Request, _ context: ChizuContext) throws -> Response {
        let caller = context.caller
        let layer = try access.layer(try context.parameters.require("collectionId"), for: caller)
        let format = try request.format(allowed: [.json, .html, .csv])
        let q = try parse(request, layer: layer, fields: layer.fields(for: caller))
        let fields = layer.fields(for: caller) + decorations.fields(layer)
        let decorationsVersion = try decorations.version(layer)
        func etag(_ info: LayerInfo?) -> String {
            Responses.etag([layer.id, String(info?.version ?? 0), request.uri.description, format.rawValue, LayerAccess.rightsClass(caller, layer),
                            decorationsVersion])
        }
        let current = etag(try access.store.layerInfo(layer.id))
        if let r = Responses.notModified(request, etag: current) { return r }
        if let hit = cache?.get(ResponseCache.key(request, etag: current)) {
            recorder.record(caller: caller, layer: layer, action: "items", target: request.uri.description, featureCount: hit.featureCount)
            return Responses.bytes(hit.body, hit.contentType, headers: hit.headers, for: request)
        }
        // The page names the version it was read from: a replace committed since `current` was
        // read gives the new contents under the new version's ETag (and cache key), never the old.
        let (body, type, headers, count) = try build(request, layer: layer, q: q, fields: fields, format: format, caller: caller, etag: etag)
        cache?.set(ResponseCache.key(request, etag: headers[.eTag] ?? current), .init(contentType: type, headers: headers, body: body, featureCount: count))
        return Responses.bytes(body, type, headers: headers, for: request)
    }

    /// The bytes of an items page, its content type and headers (the ETag made by `etag` from the
    /// layer version the page was read at).
    private func build(_ request: Request, layer: LayerDefinition, q: ItemsRequest, fields: [FieldDefinition], format: OutputFormat, caller: Caller,
                       etag: (LayerInfo?) -> String) throws -> ([UInt8], String, HTTPFields, Int) {
        var page = try access.store.search(layer, box: q.box, conditions: q.conditions, limit: q.limit, offset: q.offset)
        page.features = try decorations.decorate(page.features, layer: layer)
        recorder.record(caller: caller, layer: layer, action: "items", target: request.uri.description, featureCount: page.features.count)
        var headers: HTTPFields = [.eTag: etag(page.layer)]
        if let updated = page.layer?.updatedAt, let d = ServerBase.httpDate(updated) { headers[.lastModified] = d }
        let base = ServerBase.url(for: request) + "/collections/\(layer.id)/items"
        func link(offset: Int) -> String {
            var comps = URLComponents()
            comps.queryItems = q.carried.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "offset", value: String(offset))]
            return "?" + (comps.percentEncodedQuery ?? "")
        }
        let next = q.offset + page.features.count < page.matched ? link(offset: q.offset + page.features.count) : nil
        let prev = q.offset > 0 ? link(offset: max(0, q.offset - q.limit)) : nil
        switch format {
        case .html:
            return (Array(HTMLPages(lang: request.language).items(layer, fields: fields, features: page.features, matched: page.matched,
                                                                  offset: q.offset, prev: prev, next: next).utf8), "text/html; charset=utf-8", headers, page.features.count)
        case .csv:
            let output = try CoordinateOutput(crs: q.responseCRS, from: layer.storageCRS, followAxisOrder: false, crs84: true)
            let writer = CSVWriter(fields: fields, output: output, labels: request.query("lang") == "ja")
            headers[.contentDisposition] = "attachment; filename=\"\(layer.id).csv\""
            return (writer.header() + (try writer.rows(page.features)), "text/csv; charset=utf-8", headers, page.features.count)
        case .json:
            let output = try CoordinateOutput(crs: q.responseCRS, from: layer.storageCRS, followAxisOrder: true, crs84: q.responseIsCRS84)
            var out: [UInt8] = []
            out.reserveCapacity(256 * page.features.count + 1024)
            out += Array("{\"type\":\"FeatureCollection\",\"numberMatched\":\(page.matched),\"numberReturned\":\(page.features.count),\"timeStamp\":".utf8)
            JSONWriter.string(Date().formatted(.iso8601), to: &out)
            var links: [JSONValue] = [
                .object([("href", .string(base + link(offset: q.offset))), ("rel", "self"), ("type", "application/geo+json")]),
                .object([("href", .string(base + link(offset: q.offset) + "&f=html")), ("rel", "alternate"), ("type", "text/html")]),
                .object([("href", .string(ServerBase.url(for: request) + "/collections/\(layer.id)")), ("rel", "collection"), ("type", "application/json")]),
            ]
            if let next { links.append(.object([("href", .string(base + next)), ("rel", "next"), ("type", "application/geo+json")])) }
            if let prev { links.append(.object([("href", .string(base + prev)), ("rel", "prev"), ("type", "application/geo+json")])) }
            out += Array(",\"links\":".utf8)
            out += JSONValue.array(links).serialized()
            out += Array(",\"features\":[".utf8)
            try GeoJSONWriter(layer: layer, fields: fields, output: output).writeFeatures(page.features, to: &out)
            out += Array("]}".utf8)
            headers[HTTPField.Name("Content-Crs")!] = "<\(q.responseIsCRS84 ? ServedCRS.crs84 : q.responseCRS.uri)>"
            return (out, "application/geo+json", headers, page.features.count)
        }
    }

    /// The whole layer (with the same filters as items, minus paging) streamed page by page. If the
    /// layer is replaced while streaming, the stream stops early rather than mixing two versions.
    func download(_ request: Request, _ context: ChizuContext) throws -> Response {
        let caller = context.caller
        let layer = try access.layer(try context.parameters.require("collectionId"), for: caller)
        let format = try request.format(allowed: [.json, .csv])
        let fields = layer.fields(for: caller)
        let q = try parse(request, layer: layer, fields: fields)
        let store = access.store
        let version = try store.layerInfo(layer.id)?.version ?? 0
        let total = try store.search(layer, box: q.box, conditions: q.conditions, limit: 0, offset: 0).matched
        recorder.record(caller: caller, layer: layer, action: "download", target: request.uri.description, featureCount: total)
        let crs84 = try CoordinateOutput.crs84(from: layer.storageCRS)
        let geojson = GeoJSONWriter(layer: layer, fields: fields, output: crs84)
        let csv = CSVWriter(fields: fields, output: crs84)
        let attribution = layer.attribution, license = layer.license
        let body = ResponseBody { writer in
            var head: [UInt8] = format == .csv ? csv.header() : Array("{\"type\":\"FeatureCollection\",\"numberMatched\":\(total),".utf8)
            if format == .json {
                head += Array("\"license\":".utf8); JSONWriter.string(license, to: &head)
                head += Array(",\"attribution\":".utf8); JSONWriter.string(attribution, to: &head)
                head += Array(",\"features\":[".utf8)
            }
            try await writer.write(ByteBuffer(bytes: head))
            var after: Int64 = 0
            var first = true
            while true {
                let page = try store.search(layer, box: q.box, conditions: q.conditions, limit: 2_000, offset: 0, afterFid: after, countMatched: false)
                if page.features.isEmpty { break }
                guard try store.layerInfo(layer.id)?.version == version else { throw Problem(.conflict, "Conflict", detail: "the layer changed during the download") }
                var chunk: [UInt8] = []
                if format == .csv { chunk = try csv.rows(page.features) } else {
                    if !first { chunk.append(UInt8(ascii: ",")) }
                    try geojson.writeFeatures(page.features, to: &chunk)
                }
                first = false
                try await writer.write(ByteBuffer(bytes: chunk))
                after = page.features.last!.fid
            }
            if format == .json { try await writer.write(ByteBuffer(bytes: Array("]}".utf8))) }
            try await writer.finish(nil)
        }
        let type = format == .csv ? "text/csv; charset=utf-8" : "application/geo+json"
        return Response(status: .ok, headers: [.contentType: type,
                                               .contentDisposition: "attachment; filename=\"\(layer.id).\(format == .csv ? "csv" : "geojson")\""],
                        body: body)
    }
}
